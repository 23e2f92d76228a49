using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseExchange.Hosting;

/// <summary>
/// Ready only once able: Wolverine builds each endpoint's code on its first use (generated, and compiled where the
/// pre-generated class is not current, <see cref="PregeneratedCode"/>: 5 to 11 s on a loaded node), so a node that answers
/// /health/ready before that would be sent traffic it serves slowly. Once the host has started, the warm-up builds every
/// endpoint (Wolverine's eager route warm-up); readiness stays red until it is done. Settings: <c>Hosting:WarmUp</c> (default true).
/// </summary>
public sealed class Warmup(EndpointDataSource endpoints, IHostApplicationLifetime lifetime, ILogger<Warmup> logger, PregeneratedCode code)
    : BackgroundService
{
    public const string Setting = "Hosting:WarmUp";
    private volatile bool _done;

    public bool IsDone => _done;

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(Setting, true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // With RouteWarmup.Eager, building the endpoints compiles every Wolverine endpoint's generated code.
        var count = await Task.Run(() => endpoints.Endpoints.Count, stoppingToken);
        _done = true;
        var classes = code.Outcomes;
        logger.LogInformation("Warm-up done in {Elapsed} ms ({Count} endpoints; {Pregenerated} of {Classes} generated classes pre-compiled): ready",
            clock.ElapsedMilliseconds, count, classes.Count(c => c.Pregenerated), classes.Count);
    }

    /// <summary>The readiness check's half that says whether the warm-up has finished.</summary>
    public sealed class Check(Warmup warmup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(warmup.IsDone ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Warming up"));
    }
}
