using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace CaseExchange.Tests.Authentication;

/// <summary>
/// A certified OpenID Connect provider (Node's oidc-provider, tests/oidc-provider/) running as a child process over
/// HTTPS on a free loopback port. Restarting it keeps its issuer (same port) and may change its signing key (key
/// rollover) or put its clock behind (tokens issued already expired).
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string SkipReason =
        "Node.js and npm are not installed (apt-get install nodejs npm; .ci/run installs them). Set CI=true to make this a failure.";

    public const string ServiceClientId = "caseexchange";
    public const string ServiceClientSecret = "secret-du-client-caseexchange-pour-les-tests";
    public const string ApiClientId = "outil-en-ligne-de-commande";

    /// <summary>Resource indicators (RFC 8707) of the JWT access tokens, and the audience each one gets.</summary>
    public const string CaseExchangeResource = "https://api.caseexchange.test";
    public const string ForeignResource = "https://autre-service.test";
    public const string CaseExchangeAudience = "caseexchange";
    public const string ForeignAudience = "autre-service";

    /// <summary>Where the service under test (Alba's test server at https://localhost/) receives the provider's answers.</summary>
    public const string ServiceRedirectUri = "https://localhost/signin-oidc";
    public const string ServicePostLogoutRedirectUri = "https://localhost/signout-callback-oidc";
    public const string ApiClientRedirectUri = "http://127.0.0.1/callback";

    private static readonly SemaphoreSlim Install = new(1, 1);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caseexchange-oidc-{Guid.NewGuid():N}");
    private readonly X509Certificate2 _tls;
    private readonly Dictionary<string, Dictionary<string, string>> _accounts;
    private Process? _process;

    private OidcProvider(int port, Dictionary<string, Dictionary<string, string>> accounts)
    {
        Port = port;
        _accounts = accounts;
        Directory.CreateDirectory(_directory);
        _tls = Infrastructure.TestSecrets.CreateLoopbackTlsCertificate();
        File.WriteAllText(Path.Combine(_directory, "tls.crt"), _tls.ExportCertificatePem());
        using var key = _tls.GetRSAPrivateKey()!;
        File.WriteAllText(Path.Combine(_directory, "tls.key"), key.ExportPkcs8PrivateKeyPem());
    }

    public int Port { get; }
    public string Issuer => $"https://127.0.0.1:{Port}";
    public string SigningKeyId { get; private set; } = "";

    /// <summary>Node and npm are on the machine; when they are not, tests skip outside CI and fail in CI.</summary>
    public static bool Available => OnPath("node") && OnPath("npm");

    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An HTTP handler that trusts exactly this provider's throwaway certificate.</summary>
    public HttpMessageHandler CreateTrustingHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _tls.GetCertHashString() },
    };

    /// <param name="accounts">Claims of each subject, beyond "sub" (any login is accepted on the provider's form).</param>
    public static async Task<OidcProvider> StartAsync(Dictionary<string, Dictionary<string, string>> accounts)
    {
        await InstallAsync();
        var provider = new OidcProvider(FreePort(), accounts);
        await provider.RestartAsync(newSigningKey: true);
        return provider;
    }

    /// <summary>Stops the provider (its sessions and grants are in memory: they end) and starts it again on the same issuer.</summary>
    public async Task RestartAsync(bool newSigningKey = false, int clockOffsetSeconds = 0)
    {
        await StopAsync();
        var settingsPath = Path.Combine(_directory, "settings.json");
        if (newSigningKey || SigningKeyId.Length == 0)
        {
            SigningKeyId = $"cle-{Guid.NewGuid():N}"[..16];
            File.WriteAllText(Path.Combine(_directory, "signing-key.json"), JsonSerializer.Serialize(NewSigningKey(SigningKeyId)));
        }
        var settings = new Dictionary<string, object?>
        {
            ["issuer"] = Issuer,
            ["port"] = Port,
            ["tlsCertificate"] = Path.Combine(_directory, "tls.crt"),
            ["tlsKey"] = Path.Combine(_directory, "tls.key"),
            ["signingKey"] = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(_directory, "signing-key.json"))),
            ["clockOffsetSeconds"] = clockOffsetSeconds,
            ["accounts"] = _accounts,
            ["resources"] = new Dictionary<string, string> { [CaseExchangeResource] = CaseExchangeAudience, [ForeignResource] = ForeignAudience },
            ["clients"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["client_id"] = ServiceClientId, ["client_secret"] = ServiceClientSecret,
                    ["redirect_uris"] = new[] { ServiceRedirectUri }, ["post_logout_redirect_uris"] = new[] { ServicePostLogoutRedirectUri },
                    ["response_types"] = new[] { "code" }, ["grant_types"] = new[] { "authorization_code" },
                    ["token_endpoint_auth_method"] = "client_secret_post",
                },
                // A public client (PKCE, no secret), as a command-line tool of the council would be: it gets API tokens.
                new Dictionary<string, object>
                {
                    ["client_id"] = ApiClientId, ["redirect_uris"] = new[] { ApiClientRedirectUri }, ["application_type"] = "native",
                    ["response_types"] = new[] { "code" }, ["grant_types"] = new[] { "authorization_code" },
                    ["token_endpoint_auth_method"] = "none",
                },
            },
        };
        File.WriteAllText(settingsPath, JsonSerializer.Serialize(settings));

        var start = new ProcessStartInfo("node", [Path.Combine(ProjectDirectory, "provider.mjs"), settingsPath])
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        _process = process;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            string? line;
            try { line = await process.StandardOutput.ReadLineAsync(timeout.Token); }
            catch (OperationCanceledException) { line = null; }
            if (line is null)
            {
                await StopAsync();
                lock (errors) throw new InvalidOperationException($"The OpenID Connect provider did not start: {errors}");
            }
            if (line.StartsWith("listening ", StringComparison.Ordinal)) break;
        }
        // Keep draining its output so that it never blocks on a full pipe.
        _ = Task.Run(async () => { while (await process.StandardOutput.ReadLineAsync() is not null) { } });
    }

    private async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _tls.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    /// <summary>tests/oidc-provider in the source tree.</summary>
    public static string ProjectDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "oidc-provider");
                if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
            }
            throw new DirectoryNotFoundException("tests/oidc-provider not found above the test binaries.");
        }
    }

    /// <summary>npm ci into tests/oidc-provider/node_modules (ignored by git), once per package-lock.json: later runs reuse it.</summary>
    private static async Task InstallAsync()
    {
        await Install.WaitAsync();
        try
        {
            var directory = ProjectDirectory;
            var lockHash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, "package-lock.json"))));
            var stamp = Path.Combine(directory, "node_modules", ".installed-from-lock");
            if (File.Exists(stamp) && File.ReadAllText(stamp) == lockHash) return;
            var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
                throw new InvalidOperationException($"npm ci failed in {directory} (exit {npm.ExitCode}): {await output}{await error}");
            File.WriteAllText(stamp, lockHash);
        }
        finally
        {
            Install.Release();
        }
    }

    private static Dictionary<string, string> NewSigningKey(string kid)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent), ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P), ["q"] = Base64UrlEncoder.Encode(p.Q), ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ), ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        };
    }


    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, name)));
}
