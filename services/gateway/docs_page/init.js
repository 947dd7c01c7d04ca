// The /docs page: Swagger UI over the gateway's own OpenAPI document. Calls
// made with "Try it out" go to this gateway; "Authorize" takes the API key
// (bearerAuth) and sends it as `Authorization: Bearer <key>`. Nothing is
// loaded from elsewhere: the page's Content-Security-Policy allows only this
// origin (no online validator badge, no remote fonts).
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  validatorUrl: null,
  displayRequestDuration: true,
  filter: true,
});
