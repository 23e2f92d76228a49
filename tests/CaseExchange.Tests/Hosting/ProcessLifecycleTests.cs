using CaseExchange.Hosting;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// The service as systemd sees it: a start that fails exits non-zero (so Restart=on-failure starts it again once
/// PostgreSQL is up), and the embedded PostgreSQL it started never outlives it, however it ends.
/// </summary>
public sealed class ProcessLifecycleTests
{
    private static Dictionary<string, string> Development(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Demo__Seed"] = "false",
            ["Protection__KeyRingCertificatePath"] = TestSecrets.KeyRingCertificatePath,
            ["Authentication__DevelopmentSignIn__Enabled"] = "true",
            ["Authentication__DevelopmentSignIn__SigningKey"] = TestSecrets.SigningKey,
            // Ready sooner: these tests are about the process, not the endpoints (ReadinessTests covers the warm-up).
            ["Hosting__WarmUp"] = "false",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return environment;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_start_that_fails_on_an_unreachable_database_exits_non_zero_with_or_without_urls(bool urls)
    {
        var closedPort = ServiceProcess.FreePort();
        var address = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        var environment = Development(("ConnectionStrings__CaseExchange", $"Host=127.0.0.1;Port={closedPort};Username=x;Password=y;Database=z;Timeout=3"));
        // As the shipped systemd unit does: the endpoint from the configuration.
        if (!urls) environment["Kestrel__Endpoints__Http__Url"] = address;
        await using var service = urls ? ServiceProcess.Start(environment, "--urls", address) : ServiceProcess.Start(environment);
        Assert.NotEqual(0, await service.ExitCodeAsync());
    }

    [Fact]
    public void The_systemd_unit_restarts_the_service_for_ever_and_takes_its_endpoint_from_the_configuration()
    {
        var unit = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "caseexchange.service"));
        string? Value(string key) => unit.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + "="))?[(key.Length + 1)..];
        Assert.DoesNotContain("--urls", Value("ExecStart"));
        Assert.Contains("postgresql.service", Value("After"));
        Assert.Equal("always", Value("Restart"));
        Assert.Equal("0", Value("StartLimitIntervalSec"));
        Assert.Contains(File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "caseexchange.env.template")),
            l => l.StartsWith("Kestrel__Endpoints__Http__Url="));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }

    [Fact]
    public async Task A_start_that_throws_after_starting_the_embedded_PostgreSQL_stops_it()
    {
        // No authentication configured: the service refuses to start after its embedded cluster is up.
        await using var service = ServiceProcess.Start(Development(("Authentication__DevelopmentSignIn__Enabled", "false")));
        var port = await service.EmbeddedPostgresPortAsync();
        Assert.NotEqual(0, await service.ExitCodeAsync());
        Assert.Contains("No authentication configured", service.Output);
        await ServiceProcess.WaitUntilClosedAsync(port);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task The_embedded_PostgreSQL_stops_when_the_service_ends_by_a_signal(string signal)
    {
        var http = ServiceProcess.FreePort();
        await using var service = ServiceProcess.Start(Development(("Kestrel__Endpoints__Http__Url", $"http://127.0.0.1:{http}")));
        var port = await service.EmbeddedPostgresPortAsync();
        await service.WaitUntilAnswersAsync($"http://127.0.0.1:{http}/health/ready");

        service.Signal(signal);
        var exit = await service.ExitCodeAsync();
        if (signal == "TERM") Assert.Equal(0, exit);
        await ServiceProcess.WaitUntilClosedAsync(port);
        Assert.False(File.Exists(Path.Combine(service.WorkingDirectory, ".data", "pg", "data", "postmaster.pid")));
    }
}
