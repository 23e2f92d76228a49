using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Statistics;

public static class ReadStatisticsEndpoint
{
    /// <summary>
    /// For the plenary and the président (read-statistics), the council or one <paramref name="commune"/>; for the maire of a
    /// commune, his commune's figures only (another commune: 403). Periods are whole calendar months, and closed ones only: the
    /// current month is never published, so two readings of one period never differ by one referral (differencing).
    /// </summary>
    [WolverineGet("/api/councils/{council}/statistics", Summary = "Statistiques anonymisées d'une période close"), Tags("Statistiques")]
    public static Task<StatisticsReport> Get(DateOnly? from, DateOnly? to, string? commune, CouncilRequest request, PlenaryStatistics statistics) =>
        ReadStatisticsUseCase.HandleAsync(request, statistics, from, to, commune);
}

public static class ReadStatisticsUseCase
{
    public const int MaxMonths = 60;

    public static async Task<StatisticsReport> HandleAsync(CouncilRequest request, PlenaryStatistics statistics, DateOnly? from, DateOnly? to,
        string? commune = null)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.ReadStatistics(request.Policy, actor.Member, commune));
        var scope = AccessRules.StatisticsCommune(request.Policy, actor.Member!, commune);
        var lastClosedDay = LastClosedDay(request.Now);
        var end = to ?? lastClosedDay;
        // By default, the last complete year: the twelve closed months that end the period.
        var start = from ?? new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        Check(start, end, lastClosedDay).When(scope is not null && !actor.Council.HasCommune(scope), "commune", "Commune inconnue dans ce conseil.").ThrowIfAny();
        return await statistics.For(request.Policy).ComputeAsync(request.Session, actor.Council, start, end, request.Cancellation, scope);
    }

    /// <summary>Whole months, closed ones only, at most <see cref="MaxMonths"/>.</summary>
    public static ValidationErrors Check(DateOnly start, DateOnly end, DateOnly lastClosedDay) => new ValidationErrors()
        .When(start.Day != 1, "from", "La période commence le premier jour d'un mois.")
        .When(end.AddDays(1).Day != 1, "to", "La période se termine le dernier jour d'un mois.")
        .When(end > lastClosedDay, "to",
            $"Seuls les mois écoulés sont publiés : la période se termine au plus tard le {lastClosedDay:dd/MM/yyyy} (le mois en cours n'est jamais publié).")
        .When(start > end, "to", "La fin de la période précède son début.")
        .When((end.Year - start.Year) * 12 + end.Month - start.Month + 1 > MaxMonths, "to", $"Une période couvre au plus {MaxMonths} mois.");

    /// <summary>The last day of the last month that has ended (French calendar).</summary>
    public static DateOnly LastClosedDay(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(FrenchTime.Local(now).DateTime);
        return new DateOnly(today.Year, today.Month, 1).AddDays(-1);
    }
}
