using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Statistics;

public static class StatisticsEndpoint
{
    public const int MaxMonths = 60;

    /// <summary>
    /// For the plenary and the président (read-statistics). Periods are whole calendar months, and closed ones only: the
    /// current month is never published, so two readings of one period never differ by one referral (differencing).
    /// </summary>
    [WolverineGet("/api/councils/{council}/statistics", Summary = "Statistiques anonymisées d'une période close"), Tags("Statistiques")]
    public static async Task<StatisticsReport> Get(string council, DateOnly? from, DateOnly? to, ClaimsPrincipal user, IQuerySession session,
        CharterPolicy policy, PlenaryStatistics statistics, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ReadStatistics);

        var lastClosedDay = LastClosedDay(clock.GetUtcNow());
        var end = to ?? lastClosedDay;
        var start = from ?? new DateOnly(end.Year, 1, 1);
        new ValidationErrors()
            .When(start.Day != 1, "from", "La période commence le premier jour d'un mois.")
            .When(end.AddDays(1).Day != 1, "to", "La période se termine le dernier jour d'un mois.")
            .When(end > lastClosedDay, "to",
                $"Seuls les mois écoulés sont publiés : la période se termine au plus tard le {lastClosedDay:dd/MM/yyyy} (le mois en cours n'est jamais publié).")
            .When(start > end, "to", "La fin de la période précède son début.")
            .When((end.Year - start.Year) * 12 + end.Month - start.Month + 1 > MaxMonths, "to", $"Une période couvre au plus {MaxMonths} mois.")
            .ThrowIfAny();
        return await statistics.ComputeAsync(session, actor.Council, start, end);
    }

    /// <summary>The last day of the last month that has ended (French calendar).</summary>
    public static DateOnly LastClosedDay(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(FrenchTime.Local(now).DateTime);
        return new DateOnly(today.Year, today.Month, 1).AddDays(-1);
    }
}

public static class StatisticsServices
{
    public static IServiceCollection AddCaseExchangeStatistics(this IServiceCollection services) =>
        services.AddSingleton<PlenaryStatistics>();
}
