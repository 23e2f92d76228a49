namespace CaseExchange.Http;

/// <summary>
/// Headers every API answer carries, errors and files included: nothing is kept by a browser or proxy cache
/// (<c>no-store</c>: answers may hold nominative data) and nothing is sniffed into another content type. HSTS outside
/// Development, for the browsers that reach the service without the proxy's header (deploy/README.md).
/// </summary>
public static class ResponseHeaders
{
    public static void AddCaseExchangeResponseHeaders(this WebApplicationBuilder builder) =>
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
        });

    public static void UseCaseExchangeResponseHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                // Set when the answer starts: the error handlers clear the headers of a response they rewrite.
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.CacheControl = "no-store";
                    headers.XContentTypeOptions = "nosniff";
                    headers.Remove("Pragma");
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
    }
}
