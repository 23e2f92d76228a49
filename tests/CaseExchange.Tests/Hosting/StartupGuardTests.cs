using CaseExchange.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CaseExchange.Tests.Hosting;

/// <summary>Settings that would weaken the charter in Production stop the service at start-up, with a clear reason.</summary>
public sealed class StartupGuardTests
{
    private static async Task<Exception> StartInProductionAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var connectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("garde");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:CaseExchange", connectionString);
            builder.UseSetting("Protection:KeyRingCertificatePath", TestSecrets.KeyRingCertificatePath);
            builder.UseSetting("Authentication:Authority", "https://sso.example.test/realms/clspd");
            builder.UseSetting("Authentication:ClientId", "caseexchange-pages");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });
        return Assert.ThrowsAny<Exception>(() => factory.Server);
    }

    [Fact]
    public async Task The_development_sign_in_cannot_be_enabled_in_Production()
    {
        var error = await StartInProductionAsync(new Dictionary<string, string?> { ["Authentication:DevelopmentSignIn:Enabled"] = "true" });
        Assert.Contains("DevelopmentSignIn", error.ToString());
    }

    [Fact]
    public async Task Production_requires_the_OpenID_Connect_client_of_the_pages()
    {
        var error = await StartInProductionAsync(new Dictionary<string, string?> { ["Authentication:ClientId"] = "" });
        Assert.Contains("Authentication__ClientId", error.ToString());
    }

    [Fact]
    public async Task Production_requires_the_key_ring_certificate_held_outside_the_database()
    {
        var error = await StartInProductionAsync(new Dictionary<string, string?> { ["Protection:KeyRingCertificatePath"] = "" });
        Assert.Contains("KeyRingCertificatePath", error.ToString());
    }

    [Fact]
    public async Task Production_requires_a_configured_database()
    {
        var error = await StartInProductionAsync(new Dictionary<string, string?> { ["ConnectionStrings:CaseExchange"] = "" });
        Assert.Contains("ConnectionStrings__CaseExchange", error.ToString());
    }

    [Fact]
    public async Task The_demo_council_is_never_seeded_in_Production()
    {
        var error = await StartInProductionAsync(new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        Assert.Contains("Demo:Seed", error.ToString());
    }
}
