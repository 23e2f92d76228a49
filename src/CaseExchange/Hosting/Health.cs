using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CaseExchange.Hosting;

public static class Health
{
    public const string ReadyTag = "ready";
    private static readonly HttpMethodMetadata GetOnly = new(["GET"]);

    public static IServiceCollection AddCaseExchangeHealthChecks(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks().Add(new HealthCheckRegistration(
            "postgresql", _ => new PostgresReachable(connectionString), HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5)));
        if (Warmup.IsEnabled(configuration))
        {
            services.AddSingleton<Warmup>();
            services.AddHostedService(s => s.GetRequiredService<Warmup>());
            checks.Add(new HealthCheckRegistration("warm-up", s => new Warmup.Check(s.GetRequiredService<Warmup>()), HealthStatus.Unhealthy, [ReadyTag]));
        }
        return services;
    }

    public static void MapCaseExchangeHealthChecks(this WebApplication app)
    {
        // Live: the process answers. Ready: it can reach PostgreSQL too.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous().WithMetadata(GetOnly);
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous().WithMetadata(GetOnly);
    }

    private sealed class PostgresReachable(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                // The exception type is enough to act on; its message may name hosts and users.
                return HealthCheckResult.Unhealthy($"PostgreSQL unreachable ({e.GetType().Name})");
            }
        }
    }
}
