using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Alba;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>Settings every test host shares: the test run's key ring certificate and development sign-in key.</summary>
public static class TestSecrets
{
    private static readonly Lazy<string> Certificate = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"caseexchange-tests-{Environment.ProcessId}", "keyring.pfx");
        if (!File.Exists(path)) KeyRing.CreateDevelopmentCertificate(path);
        return path;
    });

    public static string KeyRingCertificatePath => Certificate.Value;

    /// <summary>Another certificate: "the outside secret" an attacker with a dump does not have.</summary>
    public static string CreateOtherCertificate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"caseexchange-tests-{Environment.ProcessId}", $"other-{Guid.NewGuid():N}.pfx");
        KeyRing.CreateDevelopmentCertificate(path);
        return path;
    }

    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The real service (Program), in memory, on a database of its own.</summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly Dictionary<string, string> _tokens = [];

    private TestService(IAlbaHost host, string connectionString, FakeTimeProvider? clock)
    {
        Host = host;
        ConnectionString = connectionString;
        Clock = clock;
        Client = host.Server.CreateClient();
    }

    public IAlbaHost Host { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider? Clock { get; }
    public HttpClient Client { get; }
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services => Host.Services;

    public static async Task<TestService> StartAsync(string connectionString, FakeTimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:CaseExchange", connectionString);
            builder.UseSetting("Protection:KeyRingCertificatePath", TestSecrets.KeyRingCertificatePath);
            builder.UseSetting("Authentication:DevelopmentSignIn:Enabled", "true");
            builder.UseSetting("Authentication:DevelopmentSignIn:SigningKey", TestSecrets.SigningKey);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "None");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
            builder.ConfigureTestServices(s =>
            {
                if (clock is not null) s.AddSingleton<TimeProvider>(clock);
                services?.Invoke(s);
            });
        });
        return new TestService(host, connectionString, clock);
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
        if (body is not null) request.Content = JsonContent.Create(body, options: Json.Options);
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string? subject, string url) => SendAsync(subject, HttpMethod.Get, url);

    public Task<HttpResponseMessage> PostAsync(string? subject, string url, object? body) => SendAsync(subject, HttpMethod.Post, url, body ?? new { });

    public async Task<T> GetJsonAsync<T>(string subject, string url)
    {
        var response = await GetAsync(subject, url);
        await Http.ExpectAsync(response, 200);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    public async Task<T> PostJsonAsync<T>(string subject, string url, object? body, int expectedStatus = 200)
    {
        var response = await PostAsync(subject, url, body);
        await Http.ExpectAsync(response, expectedStatus);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    /// <summary>Number of events in the council's store (all tenants): "changes nothing" is measured with it.</summary>
    public async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from caseexchange.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

public static class Http
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

/// <summary>A class fixture: one service and one database for all the tests of a class.</summary>
public class ServiceFixture : IAsyncLifetime
{
    public TestService Service { get; private set; } = null!;

    protected virtual FakeTimeProvider? Clock => null;

    public async ValueTask InitializeAsync()
    {
        var postgres = await TestPostgres.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync(GetType().Name.Replace("Fixture", ""));
        Service = await TestService.StartAsync(connectionString, Clock);
        await SeedAsync(Service);
    }

    protected virtual Task SeedAsync(TestService service) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
    }
}
