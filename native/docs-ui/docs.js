// The API reference at /docs: Swagger UI renders the server's own
// /openapi.json. A file rather than an inline script, so the page runs under
// the server's Content-Security-Policy (script-src 'self'). The document's
// example server is replaced by this one, so "Try it out" calls the server
// that serves the page.
fetch('/openapi.json')
  .then((response) => response.json())
  .then((spec) => {
    spec.servers = [{ url: window.location.origin, description: 'this server' }];
    window.ui = window.SwaggerUIBundle({
      spec,
      dom_id: '#api-reference',
      deepLinking: true,
      validatorUrl: null, // no request to a public validator: nothing leaves the machine
      defaultModelsExpandDepth: 0,
    });
  });
