using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CaseExchange.Hosting;

public sealed class CaseExchangeAuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary>OpenID Connect authority that issues members' tokens (production), e.g. the council's Keycloak realm.</summary>
    public string? Authority { get; set; }
    public string Audience { get; set; } = "caseexchange";
    public DevelopmentSignInOptions DevelopmentSignIn { get; set; } = new();
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

        DevelopmentSignIn? development = null;
        if (options.DevelopmentSignIn.Enabled)
        {
            development = new DevelopmentSignIn(DevelopmentKey(options.DevelopmentSignIn, builder.Environment), options.Audience);
            builder.Services.AddSingleton(development);
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
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
                    jwt.TokenValidationParameters.ValidateAudience = true;
                }
            });
        builder.Services.AddAuthorization();
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
                if (string.IsNullOrWhiteSpace(request.Subject))
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["subject"] = ["L'identifiant (subject) est obligatoire."] },
                        title: "La demande contient des erreurs", type: ProblemTypes.Validation);
                var lifetime = TimeSpan.FromHours(8);
                return Results.Ok(new DevelopmentToken(signIn.IssueToken(request.Subject.Trim(), lifetime), "Bearer", (int)lifetime.TotalSeconds));
            })
            .AllowAnonymous()
            .WithTags("Connexion de développement")
            .WithSummary("Jeton de développement pour un membre (désactivé en production)");
    }
}
