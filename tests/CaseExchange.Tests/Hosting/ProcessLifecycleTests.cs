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
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return environment;
    }

    [Fact]
    public async Task A_start_that_fails_on_an_unreachable_database_exits_non_zero_even_with_urls()
    {
        var closedPort = ServiceProcess.FreePort();
        await using var service = ServiceProcess.Start(
            Development(("ConnectionStrings__CaseExchange", $"Host=127.0.0.1;Port={closedPort};Username=x;Password=y;Database=z;Timeout=3")),
            "--urls", $"http://127.0.0.1:{ServiceProcess.FreePort()}");
        Assert.Equal(ServiceRun.StartFailedExitCode, await service.ExitCodeAsync());
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
        await using var service = ServiceProcess.Start(Development(), "--urls", $"http://127.0.0.1:{http}");
        var port = await service.EmbeddedPostgresPortAsync();
        await service.WaitUntilAnswersAsync($"http://127.0.0.1:{http}/health/ready");

        service.Signal(signal);
        var exit = await service.ExitCodeAsync();
        if (signal == "TERM") Assert.Equal(0, exit);
        await ServiceProcess.WaitUntilClosedAsync(port);
        Assert.False(File.Exists(Path.Combine(service.WorkingDirectory, ".data", "pg", "data", "postmaster.pid")));
    }
}
