using CaseExchange.Seances.CompteRendu;

namespace CaseExchange.Seances;

public static class SeancesRegistration
{
    /// <summary>The CR generator; the séance endpoints are found by Wolverine.</summary>
    public static IServiceCollection AddCaseExchangeSeances(this IServiceCollection services) =>
        services.AddSingleton<CompteRenduGenerator>();
}
