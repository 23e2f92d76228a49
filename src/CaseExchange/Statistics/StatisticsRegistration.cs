using CaseExchange.Statistics.Reports;
using JasperFx.Events.Projections;
using Marten;

namespace CaseExchange.Statistics;

public static class StatisticsRegistration
{
    /// <summary>The plenary statistics (anonymised tables of closed periods) and the published reports of fixed periods.</summary>
    public static IServiceCollection AddCaseExchangeStatistics(this IServiceCollection services)
    {
        services.ConfigureMarten(options => options.Projections.Snapshot<PlenaryReports>(SnapshotLifecycle.Inline));
        return services.AddSingleton<PlenaryStatistics>();
    }
}
