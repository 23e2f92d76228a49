using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using CaseExchange.Seances;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Statistics;

public static class StatisticsEndpoint
{
    public const int MaxMonths = 60;

    /// <summary>For the plenary and the président (read-statistics). Periods are whole calendar months.</summary>
    [WolverineGet("/api/councils/{council}/statistics", Summary = "Statistiques anonymisées de la période"), Tags("Statistiques")]
    public static async Task<StatisticsReport> Get(string council, DateOnly? from, DateOnly? to, ClaimsPrincipal user, IQuerySession session,
        CharterPolicy policy, PlenaryStatistics statistics, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ReadStatistics);

        var today = DateOnly.FromDateTime(FrenchTime.Local(clock.GetUtcNow()).DateTime);
        var start = from ?? new DateOnly(today.Year, 1, 1);
        var end = to ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        new ValidationErrors()
            .When(start.Day != 1, "from", "La période commence le premier jour d'un mois.")
            .When(end.AddDays(1).Day != 1, "to", "La période se termine le dernier jour d'un mois.")
            .When(start > end, "to", "La fin de la période précède son début.")
            .When((end.Year - start.Year) * 12 + end.Month - start.Month + 1 > MaxMonths, "to", $"Une période couvre au plus {MaxMonths} mois.")
            .ThrowIfAny();
        return await statistics.ComputeAsync(session, actor.Council, start, end);
    }
}

public static class StatisticsServices
{
    public static IServiceCollection AddCaseExchangeStatistics(this IServiceCollection services) =>
        services.AddSingleton<PlenaryStatistics>();
}
