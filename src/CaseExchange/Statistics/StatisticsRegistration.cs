namespace CaseExchange.Statistics;

public static class StatisticsRegistration
{
    /// <summary>The plenary statistics (anonymised tables of closed periods).</summary>
    public static IServiceCollection AddCaseExchangeStatistics(this IServiceCollection services) =>
        services.AddSingleton<PlenaryStatistics>();
}
