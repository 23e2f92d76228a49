using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Seances.Agenda;
using CaseExchange.Situations;
using CaseExchange.Situations.Closure;
using CaseExchange.Situations.Examination;
using CaseExchange.Situations.Referral;
using Marten;

namespace CaseExchange.Demo;

/// <summary>
/// A year of the demo council's activity, so that the président's statistics have something to show: situations
/// referred over the last twelve closed months through the referral use case (each at its own instant), a third of
/// them placed on a séance of their group, examined there and, half of those, closed — through the use cases of
/// those acts. A third of them in the council's second commune, whose maire reads its statistics. Every person is invented.
/// </summary>
public static class DemoYear
{
    public const int Count = 30;

    private static readonly string[] FirstNames =
    [
        "Adèle", "Basile", "Céleste", "Dorian", "Elsa", "Félix", "Gaïa", "Hugo", "Iris", "Jules", "Kenza", "Léon", "Maëlys", "Noé", "Olympe",
        "Pablo", "Rose", "Sacha", "Tess", "Ulysse", "Victoire", "Wassim", "Yaël", "Zélie", "Anatole", "Bérénice", "Côme", "Daphné", "Éloi", "Fleur",
    ];

    private static readonly string[] Surnames = ["Fictif", "Exemple", "Démonstration", "Imaginaire", "Supposé", "Inventé"];

    private static readonly string[] Reasons = ["decrochage-scolaire", "errance", "troubles-voisinage", "conduites-addictives"];

    private static readonly string[] Outcomes = ["situation-stabilisee", "relais-dispositif"];

    /// <summary>A clock that stands at one instant: the use cases take "now" from the request.</summary>
    private sealed class StandingClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }

    public static async Task SeedAsync(IDocumentSession session, CharterPolicy policy, SituationKeys keys, Pseudonyms pseudonyms,
        IdentityIndex index, Guid decrochage, Guid fontbarlettes, Guid animatorId, DateTimeOffset now, CancellationToken cancellation)
    {
        // From the last day of the last closed month backwards, about every eleven days: twelve whole months.
        var local = FrenchTime.Local(now);
        var lastClosedDay = new DateOnly(local.Year, local.Month, 1).AddDays(-1);
        for (var i = 0; i < Count; i++)
        {
            var at = FrenchTime.StartOf(lastClosedDay.AddDays(-11 * i)).AddHours(10).ToUniversalTime();
            var territorial = i % 3 == 0;
            var group = territorial ? fontbarlettes : decrochage;
            // A third in the second commune of the council (intercommunal): its maire sees figures of his own.
            var sector = territorial ? "fontbarlettes" : i % 3 == 1 ? DemoCouncil.BourgSector : "polygone";
            var age = (i % 4) switch { 0 => 14, 1 => 16, 2 => 20, _ => 15 };
            var birth = DateOnly.FromDateTime(at.UtcDateTime).AddYears(-age).AddDays(-(37 * i % 300));
            var person = new PersonInClear(PersonRoles.Followed, Surnames[i % Surnames.Length], FirstNames[i], i % 2 == 0 ? "F" : "M", birth,
                null, null, null, null, null);
            var referral = new ReferSituation(group, [Reasons[i % Reasons.Length]], sector, i % 5 == 0 ? "prioritaire" : "normale", [person],
                $"Faits fictifs de la situation n° {i + 1} de l'année de démonstration.", Guid.CreateVersion7());

            var referring = await CouncilRequest.ResolveAsync(session, "membre.education", policy, new StandingClock(at), cancellation);
            var referred = await ReferSituationUseCase.HandleAsync(referring, referral, keys, pseudonyms, index);
            await session.SaveChangesAsync(cancellation);

            // Every third situation is examined in a séance of its group ten days later, if that day has passed.
            var heldAt = at.AddDays(10);
            if (i % 3 != 0 || heldAt > now.AddDays(-1)) continue;
            var scheduled = new SeanceScheduled(Guid.CreateVersion7(), group, heldAt, animatorId, at.AddDays(1));
            session.Events.StartStream<Seance>(scheduled.SeanceId, scheduled);
            await session.SaveChangesAsync(cancellation);
            var seance = (await session.LoadAsync<Seance>(scheduled.SeanceId, cancellation))!;
            var situation = await session.Events.FetchForWriting<Situation>(referred.SituationId, cancellation);
            situation.AppendOne(PlaceOnAgendaUseCase.Decide(situation.Aggregate!, seance, animatorId, at.AddDays(2)));
            await session.SaveChangesAsync(cancellation);
            var placed = (await session.LoadAsync<Situation>(referred.SituationId, cancellation))!;
            session.Events.Append(scheduled.SeanceId, PublishAgendaUseCase.Decide(seance, [placed], animatorId, at.AddDays(3)));
            await session.SaveChangesAsync(cancellation);

            var leading = await CouncilRequest.ResolveAsync(session, "coordo.demo", policy, new StandingClock(heldAt), cancellation);
            await RecordExaminationUseCase.HandleAsync(leading, referred.SituationId, new RecordExamination(scheduled.SeanceId,
                "Échanges fictifs de l'année de démonstration.", [new DecisionInClear(i % 2 == 0 ? "orientation" : "suivi-renforce", null)], placed.Version), keys);
            await session.SaveChangesAsync(cancellation);
            session.Events.Append(scheduled.SeanceId, new SeanceClosed(scheduled.SeanceId, animatorId, heldAt.AddHours(2)));
            await session.SaveChangesAsync(cancellation);

            // Half of them closed a month later.
            var closedAt = heldAt.AddDays(30);
            if (i % 6 != 0 || closedAt > now.AddDays(-1)) continue;
            var closing = await CouncilRequest.ResolveAsync(session, "coordo.demo", policy, new StandingClock(closedAt), cancellation);
            var examined = (await session.LoadAsync<Situation>(referred.SituationId, cancellation))!;
            await CloseSituationUseCase.HandleAsync(closing, referred.SituationId,
                new CloseSituation(Outcomes[i / 6 % Outcomes.Length], null, examined.Version), keys);
            await session.SaveChangesAsync(cancellation);
        }
    }
}
