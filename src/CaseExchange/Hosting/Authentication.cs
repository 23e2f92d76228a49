using CaseExchange.Http;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CaseExchange.Hosting;

public sealed class CaseExchangeAuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary>OpenID Connect authority that issues members' tokens (production), e.g. the council's Keycloak realm.</summary>
    public string? Authority { get; set; }
    public string Audience { get; set; } = "caseexchange";

    /// <summary>OpenID Connect client of the web pages at that authority (production sign-in).</summary>
    public string? ClientId { get; set; }

    /// <summary>Its secret, or a file holding it (e.g. a systemd credential).</summary>
    public string? ClientSecret { get; set; }
    public string? ClientSecretFile { get; set; }

    /// <summary>
    /// Scopes asked at sign-in, space-separated. Only "openid" (the subject) is needed; the others name what the
    /// provider calls profile claims: "openid profile" for Keycloak, "openid email given_name usual_name siret" for ProConnect.
    /// </summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>
    /// After a key rollover at the provider, a token signed with a key the service has not seen makes it fetch the
    /// provider's keys (JWKS) again, at most once per this interval (the library's default is 5 minutes of refusals).
    /// </summary>
    public TimeSpan SigningKeysRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    public DevelopmentSignInOptions DevelopmentSignIn { get; set; } = new();
}

/// <summary>
/// The API authenticates bearer tokens only (a cookie would expose the JSON API to cross-site requests); the
/// pages authenticate the session cookie, which OpenID Connect (production) or the development sign-in issues.
/// </summary>
public static class AuthenticationSchemes
{
    public const string ByPath = "CaseExchange";
    public const string Api = JwtBearerDefaults.AuthenticationScheme;
    public const string Pages = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OpenIdConnect = OpenIdConnectDefaults.AuthenticationScheme;

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}

public sealed class DevelopmentSignInOptions
{
    /// <summary>Local use only: the service issues its own tokens. Refused at start-up in Production.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base64 signing key; by default one is generated in .data/dev-signin.key.</summary>
    public string? SigningKey { get; set; }
}

/// <summary>
/// Members authenticate with JWT bearer tokens from the configured OpenID Connect authority. Outside Production,
/// a development sign-in can issue tokens for any subject, so that the API can be tried with curl.
/// </summary>
public static class Authentication
{
    public static void AddCaseExchangeAuthentication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(CaseExchangeAuthenticationOptions.Section).Get<CaseExchangeAuthenticationOptions>()
                      ?? new CaseExchangeAuthenticationOptions();

        if (options.DevelopmentSignIn.Enabled && builder.Environment.IsProduction())
            throw new InvalidOperationException(
                "Authentication:DevelopmentSignIn:Enabled is true in Production. The development sign-in lets anyone act as any member " +
                "and cannot be enabled in Production: remove the setting and configure Authentication:Authority.");
        if (!options.DevelopmentSignIn.Enabled && string.IsNullOrWhiteSpace(options.Authority))
            throw new InvalidOperationException(
                "No authentication configured: set Authentication__Authority to the OpenID Connect authority of the council's members " +
                "(or, outside Production, Authentication__DevelopmentSignIn__Enabled=true).");
        if (!options.DevelopmentSignIn.Enabled && string.IsNullOrWhiteSpace(options.ClientId))
            throw new InvalidOperationException(
                "No sign-in for the web pages: set Authentication__ClientId (and Authentication__ClientSecretFile) to the OpenID Connect " +
                "client registered for CaseExchange at Authentication__Authority.");

        DevelopmentSignIn? development = null;
        if (options.DevelopmentSignIn.Enabled)
        {
            development = new DevelopmentSignIn(DevelopmentKey(options.DevelopmentSignIn, builder.Environment), options.Audience);
            builder.Services.AddSingleton(development);
        }

        var authentication = builder.Services.AddAuthentication(AuthenticationSchemes.ByPath)
            .AddPolicyScheme(AuthenticationSchemes.ByPath, "Jeton pour l'API, session pour les pages", policy =>
                policy.ForwardDefaultSelector = context => AuthenticationSchemes.IsApi(context) ? AuthenticationSchemes.Api : AuthenticationSchemes.Pages)
            .AddCookie(AuthenticationSchemes.Pages, cookie =>
            {
                cookie.Cookie.Name = "CaseExchange.Session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // A session left open on a shared office computer ends on its own.
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/connexion";
                cookie.LogoutPath = "/deconnexion";
                cookie.AccessDeniedPath = "/erreur/403";
                cookie.ReturnUrlParameter = "retour";
            })
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false; // keep "sub" as the subject
                jwt.Audience = options.Audience;
                if (development is not null)
                {
                    jwt.TokenValidationParameters = development.ValidationParameters;
                }
                else
                {
                    jwt.Authority = options.Authority;
                    jwt.RefreshInterval = options.SigningKeysRefreshInterval;
                    jwt.TokenValidationParameters.ValidateAudience = true;
                }
            });
        if (!string.IsNullOrWhiteSpace(options.Authority) && !string.IsNullOrWhiteSpace(options.ClientId))
        {
            var secret = options.ClientSecretFile is { Length: > 0 } secretFile ? File.ReadAllText(secretFile).Trim() : options.ClientSecret;
            authentication.AddOpenIdConnect(AuthenticationSchemes.OpenIdConnect, oidc =>
            {
                oidc.Authority = options.Authority;
                oidc.RefreshInterval = options.SigningKeysRefreshInterval;
                oidc.ClientId = options.ClientId;
                oidc.ClientSecret = secret;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.MapInboundClaims = false; // keep "sub": members are known by their subject
                oidc.Scope.Clear();
                foreach (var scope in options.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) oidc.Scope.Add(scope);
                if (!oidc.Scope.Contains("openid")) oidc.Scope.Add("openid");
                oidc.SaveTokens = false;
                oidc.Events.OnRemoteFailure = RestartSignInAfterKeyRolloverAsync;
                // RP-initiated logout names the session to end with the ID token (id_token_hint, which ProConnect requires):
                // the session cookie keeps that token only, not the access token.
                oidc.Events.OnTokenValidated = context =>
                {
                    if (context.TokenEndpointResponse?.IdToken is { Length: > 0 } idToken)
                        context.Properties!.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
                    return Task.CompletedTask;
                };
                oidc.SignInScheme = AuthenticationSchemes.Pages;
                oidc.TokenValidationParameters.NameClaimType = "name";
            });
        }
        if (development is null)
        {
            // A refresh of the provider's keys that was asked for (unknown key) completes before the next request
            // uses them, instead of in the background: the request after a refusal, or the restarted sign-in, sees them.
            AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
            // Once the provider's published keys no longer hold a key (retired, or withdrawn after a compromise), its
            // tokens are refused. The library would otherwise keep validating them with the "last known good" key set
            // for an hour. A provider that cannot be reached leaves the current key set in place either way.
            builder.Services.PostConfigure<JwtBearerOptions>(AuthenticationSchemes.Api, jwt =>
            {
                if (jwt.ConfigurationManager is BaseConfigurationManager keys) keys.UseLastKnownGoodConfiguration = false;
            });
            builder.Services.PostConfigure<OpenIdConnectOptions>(AuthenticationSchemes.OpenIdConnect, oidc =>
            {
                if (oidc.ConfigurationManager is BaseConfigurationManager keys) keys.UseLastKnownGoodConfiguration = false;
            });
        }
        builder.Services.AddAuthorization();
    }

    private const string RetriedAfterKeyRollover = "caseexchange.retried-after-key-rollover";

    /// <summary>
    /// After a key rollover at the provider, the first ID token signed with the new key fails validation: the handler
    /// has asked for the provider's keys again. The sign-in starts over once, which the member does not notice (the
    /// provider's session answers at once), instead of ending on an error page.
    /// </summary>
    private static async Task RestartSignInAfterKeyRolloverAsync(RemoteFailureContext context)
    {
        var keyUnknown = false;
        for (var failure = context.Failure; failure is not null; failure = failure.InnerException)
            keyUnknown |= failure is SecurityTokenSignatureKeyNotFoundException;
        if (!keyUnknown || context.Properties is not { } original || original.Items.ContainsKey(RetriedAfterKeyRollover)) return;
        var retry = new AuthenticationProperties { RedirectUri = original.RedirectUri ?? "/" };
        retry.Items[RetriedAfterKeyRollover] = "1";
        await context.HttpContext.ChallengeAsync(AuthenticationSchemes.OpenIdConnect, retry);
        context.HandleResponse();
    }

    private static byte[] DevelopmentKey(DevelopmentSignInOptions options, IWebHostEnvironment environment)
    {
        if (options.SigningKey is { Length: > 0 } configured) return Convert.FromBase64String(configured);
        var path = Path.Combine(environment.ContentRootPath, ".data", "dev-signin.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}

/// <summary>Issues short-lived tokens for a subject. Exists only when the development sign-in is enabled.</summary>
public sealed class DevelopmentSignIn(byte[] key, string audience)
{
    public const string Issuer = "caseexchange-development-sign-in";
    private readonly SymmetricSecurityKey _key = new(key);

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        IssuerSigningKey = _key,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public string IssueToken(string subject, TimeSpan lifetime)
    {
        var token = new JwtSecurityToken(Issuer, audience, [new Claim("sub", subject)],
            DateTime.UtcNow.AddSeconds(-5), DateTime.UtcNow.Add(lifetime), new SigningCredentials(_key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}

public sealed record DevelopmentTokenRequest(string? Subject);

public sealed record DevelopmentToken(string AccessToken, string TokenType, int ExpiresIn);

public static class DevelopmentSignInEndpoint
{
    /// <summary>POST /dev/tokens {"subject": "..."}: mapped only when the development sign-in is enabled.</summary>
    public static void MapDevelopmentSignIn(this WebApplication app)
    {
        if (app.Services.GetService<DevelopmentSignIn>() is null) return;
        app.MapPost("/dev/tokens", (DevelopmentTokenRequest request, DevelopmentSignIn signIn) =>
            {
                if (string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Trim().Length > 200)
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["subject"] = ["L'identifiant (subject) est obligatoire, 200 caractères au plus."] },
                        title: "La demande contient des erreurs", type: ProblemTypes.Validation);
                var lifetime = TimeSpan.FromHours(8);
                return Results.Ok(new DevelopmentToken(signIn.IssueToken(request.Subject.Trim(), lifetime), "Bearer", (int)lifetime.TotalSeconds));
            })
            .AllowAnonymous()
            .WithTags("Connexion de développement")
            .WithSummary("Jeton de développement pour un membre (désactivé en production)");
    }
}
