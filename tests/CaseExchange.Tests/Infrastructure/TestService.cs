using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alba;
using JasperFx.CommandLine;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>Settings every test host shares: the test run's key ring certificate and development sign-in key.</summary>
public static class TestSecrets
{
    /// <summary>A throwaway TLS certificate for 127.0.0.1 (the OIDC provider, nginx), valid for two days.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 CreateLoopbackTlsCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null,
            System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.Exportable);
    }

    /// <summary>This test run's certificates; deleted when the run ends.</summary>
    public static readonly string Directory = Path.Combine(Path.GetTempPath(), $"caseexchange-tests-{Environment.ProcessId}");

    private static readonly Lazy<string> Certificate = new(() =>
    {
        var path = Path.Combine(Directory, "keyring.pfx");
        if (!File.Exists(path)) KeyRing.CreateDevelopmentCertificate(path);
        return path;
    });

    public static string KeyRingCertificatePath => Certificate.Value;

    /// <summary>Another certificate: "the outside secret" an attacker with a dump does not have.</summary>
    public static string CreateOtherCertificate()
    {
        var path = Path.Combine(Directory, $"other-{Guid.NewGuid():N}.pfx");
        KeyRing.CreateDevelopmentCertificate(path);
        return path;
    }

    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static readonly Lazy<X509Certificate2> Tls = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    });

    /// <summary>The browser tests' HTTPS certificate (self-signed, for 127.0.0.1), made once per run.</summary>
    public static X509Certificate2 TlsCertificate => Tls.Value;
}

/// <summary>
/// The real service (Program) on a database: in memory (Alba's test server) for API tests, or on a real socket (Kestrel,
/// a free port of 127.0.0.1) for the browser tests. Most test classes share one of them (<see cref="SuiteService"/>),
/// each through a view of its own that knows the councils it created: <see cref="EventCountAsync"/> counts theirs only.
/// </summary>
public sealed class TestService : IAsyncDisposable
{
    private static int _starts;

    private readonly Dictionary<string, string> _tokens;
    private readonly IAsyncDisposable? _host;
    private readonly Func<HttpMessageHandler> _handler;
    private readonly HashSet<string> _councilCodes;
    private readonly HashSet<string> _tenants = [];

    private TestService(IAsyncDisposable host, IServiceProvider services, Func<HttpMessageHandler> handler, Uri baseAddress,
        string connectionString, FakeTimeProvider? clock)
    {
        _host = host;
        _handler = handler;
        _tokens = [];
        _councilCodes = [];
        Services = services;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
        Clock = clock;
        Client = new HttpClient(handler()) { BaseAddress = baseAddress };
        Interlocked.Increment(ref _starts);
    }

    /// <summary>A view of a started service: same host, same client and tokens, councils (and event counts) of its own.</summary>
    private TestService(TestService started)
    {
        _handler = started._handler;
        _tokens = started._tokens;
        _councilCodes = started._councilCodes;
        Services = started.Services;
        BaseAddress = started.BaseAddress;
        ConnectionString = started.ConnectionString;
        Clock = started.Clock;
        Client = started.Client;
    }

    /// <summary>Hosts (services) started by this test run so far.</summary>
    public static int Starts => Volatile.Read(ref _starts);

    public string ConnectionString { get; }
    public FakeTimeProvider? Clock { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress { get; }
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services { get; }

    /// <summary>True for a view of a service shared with other test classes: disposing it leaves the service running.</summary>
    public bool IsShared => _host is null;

    /// <summary>A view of this service for one test class: its councils are its own, the host is not (not stopped by the view).</summary>
    public TestService View() => new(this);

    /// <summary>
    /// The council code to use for <paramref name="wanted"/> on this service: itself when free, else itself with a number
    /// (two classes of one fixture type share the suite's service). The code's events are counted as this view's.
    /// </summary>
    public string ClaimCouncilCode(string wanted)
    {
        string code;
        lock (_councilCodes)
        {
            code = wanted;
            for (var n = 2; !_councilCodes.Add(code); n++) code = $"{wanted}{n}";
        }
        lock (_tenants) _tenants.Add(code);
        return code;
    }

    /// <summary>The councils (Marten tenants) created through this view.</summary>
    public IReadOnlyCollection<string> Tenants
    {
        get { lock (_tenants) return [.. _tenants]; }
    }

    public static async Task<TestService> StartAsync(string connectionString, FakeTimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = await AlbaHost.For<Program>(builder => Configure(builder, connectionString, clock, settings, services));
        // https: the session and antiforgery cookies are Secure outside Development.
        return new TestService(host, host.Services, () => host.Server.CreateHandler(), new Uri("https://localhost/"), connectionString, clock);
    }

    /// <summary>
    /// The service on Kestrel over HTTPS (a self-signed certificate for 127.0.0.1), for a real browser: the session and
    /// antiforgery cookies are Secure, as in production.
    /// </summary>
    public static Task<TestService> StartOnKestrelAsync(string connectionString)
    {
        // The entry point ends with RunJasperFxCommands: without this, the factory's host is built but never started.
        JasperFxEnvironment.AutoStartHost = true;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => Configure(builder, connectionString, null, null, null));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestSecrets.TlsCertificate)));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return Task.FromResult(new TestService(factory, factory.Services,
            () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false,
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == TestSecrets.TlsCertificate.GetCertHashString() },
            },
            new Uri(address.TrimEnd('/') + "/"), connectionString, null));
    }

    private static void Configure(IWebHostBuilder builder, string connectionString, FakeTimeProvider? clock,
        IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:CaseExchange", connectionString);
        builder.UseSetting("Protection:KeyRingCertificatePath", TestSecrets.KeyRingCertificatePath);
        builder.UseSetting("Authentication:DevelopmentSignIn:Enabled", "true");
        builder.UseSetting("Authentication:DevelopmentSignIn:SigningKey", TestSecrets.SigningKey);
        builder.UseSetting("Demo:Seed", "false");
        // Tests compile only the endpoints they use; the warm-up has its own test (ReadinessTests).
        builder.UseSetting("Hosting:WarmUp", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "None");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s =>
        {
            if (clock is not null) s.AddSingleton<TimeProvider>(clock);
            services?.Invoke(s);
        });
    }

    /// <summary>A browser-like client for the pages: keeps cookies, does not follow redirects, signed in as the subject.</summary>
    public async Task<HttpClient> PageClientAsync(string? subject)
    {
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = _handler() }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        if (subject is null) return client;
        var token = await Pages.AntiforgeryTokenAsync(client, "/connexion");
        var response = await client.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Subject"] = subject, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<string> TokenAsync(string subject)
    {
        if (_tokens.TryGetValue(subject, out var token)) return token;
        var response = await Client.PostAsJsonAsync("/dev/tokens", new { subject });
        response.EnsureSuccessStatusCode();
        token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        lock (_tokens) _tokens[subject] = token;
        return token;
    }

    public async Task<HttpResponseMessage> SendAsync(string? subject, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (subject is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(subject));
        if (body is not null) request.Content = body as HttpContent ?? JsonContent.Create(body, options: Json.Options);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string? subject, string url) => SendAsync(subject, HttpMethod.Get, url);

    public Task<HttpResponseMessage> PostAsync(string? subject, string url, object? body) => SendAsync(subject, HttpMethod.Post, url, body ?? new { });

    public async Task<T> GetJsonAsync<T>(string subject, string url)
    {
        var response = await GetAsync(subject, url);
        await Answers.ExpectAsync(response, 200);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    public async Task<T> PostJsonAsync<T>(string subject, string url, object? body, int expectedStatus = 200)
    {
        var response = await PostAsync(subject, url, body);
        await Answers.ExpectAsync(response, expectedStatus);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    /// <summary>
    /// Number of events in the store: of the whole database for a service of its own, of the councils created through
    /// this view on the suite's shared service. "Changes nothing" is measured with it.
    /// </summary>
    public Task<long> EventCountAsync() => CountEventsAsync(null);

    /// <summary>Events of this view's councils (see <see cref="EventCountAsync"/>) that match <paramref name="condition"/> (SQL), if any.</summary>
    public async Task<long> CountEventsAsync(string? condition)
    {
        var filters = new List<string>();
        if (IsShared) filters.Add("tenant_id = any($1)");
        if (condition is not null) filters.Add($"({condition})");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from caseexchange.mt_events" + (filters.Count == 0 ? "" : " where " + string.Join(" and ", filters)), connection);
        if (IsShared) command.Parameters.Add(new NpgsqlParameter { Value = Tenants.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        Client.Dispose();
        await _host.DisposeAsync();
    }
}

public static class Pages
{
    private static readonly Regex Token = new("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"", RegexOptions.Compiled);

    /// <summary>The antiforgery token of a form on the page, as a browser would send it back.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var match = Token.Match(html);
        Assert.True(match.Success, $"No antiforgery token on {url}");
        return match.Groups[1].Value;
    }
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

public static class Answers
{
    public static async Task ExpectAsync(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode == status) return;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"Expected HTTP {status} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}, got {(int)response.StatusCode}: {body}");
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>
/// A class fixture: the suite's shared service (<see cref="SuiteService"/>), seen through a view of the class's own, or
/// a service and a database of the class's own where the class needs one (<see cref="OwnHost"/>: a fake clock, other
/// settings or certificates, a database it tampers with or breaks, counts over the whole database).
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    public TestService Service { get; private set; } = null!;

    protected virtual FakeTimeProvider? Clock => null;

    /// <summary>A service and a database of this class's own rather than the suite's (always so with a <see cref="Clock"/>).</summary>
    protected virtual bool OwnHost => Clock is not null;

    public async ValueTask InitializeAsync()
    {
        if (OwnHost)
        {
            var postgres = await TestPostgres.GetAsync();
            var connectionString = await postgres.CreateDatabaseAsync(GetType().Name.Replace("Fixture", ""));
            Service = await StartOwnAsync(connectionString);
        }
        else
        {
            Service = await SuiteService.ViewAsync();
        }
        await SeedAsync(Service);
    }

    /// <summary>How this class's own service starts (on Kestrel for a class that drives a browser).</summary>
    protected virtual Task<TestService> StartOwnAsync(string connectionString) => TestService.StartAsync(connectionString, Clock);

    protected virtual Task SeedAsync(TestService service) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
    }
}

/// <summary>A class fixture with one <see cref="TestCouncil"/> (named after the fixture unless overridden) and its situation steps.</summary>
public class CouncilFixture : ServiceFixture
{
    public TestCouncil Council { get; private set; } = null!;
    public SituationSteps Steps { get; private set; } = null!;

    protected virtual string Code => GetType().Name.Replace("Fixture", "").ToLowerInvariant();

    protected override async Task SeedAsync(TestService service)
    {
        Council = await TestCouncil.CreateAsync(service, Code);
        Steps = new SituationSteps(service, Council);
    }
}
