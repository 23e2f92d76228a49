using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CaseExchange.Hosting;

public static class OpenApi
{
    /// <summary>The OpenAPI document at /openapi/v1.json, with the bearer scheme members authenticate with.</summary>
    public static IServiceCollection AddCaseExchangeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CaseExchange",
                    Version = "v1",
                    Description = "Échange d'informations nominatives entre membres des groupes de travail d'un CLSPD, " +
                                  "sous la charte déontologique. Toute consultation nominative est journalisée.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "Jeton de l'autorité OpenID Connect du conseil (ou, en développement, POST /dev/tokens).",
                };
                return Task.CompletedTask;
            });
        });
}
