using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.ErasureOrders;

/// <summary>An erasure order: a reason from the charter's closed list and, optionally, the reference of the decision.</summary>
public sealed record OrderErasure(string? Reason, string? Reference);

public sealed record ErasureOrdered(Guid SituationId, string Pseudonym, DateTimeOffset ErasedAt);

public static class OrderErasureEndpoint
{
    public const int MaxReferenceLength = 60;

    /// <summary>
    /// The coordonnateur erases a situation's nominative data now (court decision, right to erasure…). The order is
    /// journalled first, granted or refused; the reference is recorded in clear only if it names nobody concerned.
    /// </summary>
    [WolverinePost("/api/councils/{council}/situations/{situationId}/erasure-orders",
        Summary = "Ordonner l'effacement des données nominatives d'une situation (coordonnateur, journalisé)"), Tags("Conservation")]
    public static async Task<ErasureOrdered> Post(string council, Guid situationId, OrderErasure command, ClaimsPrincipal user,
        IQuerySession session, CharterPolicy policy, AccessJournal journal, PersonsConcerned persons, NominativeErasure erasure,
        SituationKeys keys, TimeProvider clock, CancellationToken cancellation)
    {
        var actor = await Actor.RequireAsync(user, session, cancellation);
        var situation = await session.LoadAsync<Situation>(situationId, cancellation) ?? throw Problems.NotFound("Situation introuvable dans ce conseil.");
        new ValidationErrors()
            .When(!policy.ErasureOrderReasons.Has(command.Reason), "reason", "Le motif de l'effacement doit être choisi dans la liste de la charte.")
            .OptionalText(command.Reference, "reference", "La référence de la décision", MaxReferenceLength)
            .ThrowIfAny();
        if (situation.IsErased) throw Problems.OutOfOrder("Les données nominatives de cette situation sont déjà effacées.");

        var verdict = AccessRules.OrderErasure(policy, actor.Member, actor.Council);
        if (verdict.Allowed && !string.IsNullOrWhiteSpace(command.Reference))
            await RequireNobodyNamedAsync(command.Reference, situation, session, persons,
                ServerCheck.For(actor, JournalActions.Checks.ErasureReference), cancellation);

        await journal.AppendAsync(council, new JournalRequest(JournalActions.ErasureOrder, situationId, situation.Pseudonym, actor.Id,
            actor.Member.Subject, command.Reason, null, null, verdict.Allowed, verdict.Refusal), cancellation);
        actor.Require(verdict);

        var now = clock.GetUtcNow();
        await erasure.EraseAsync(council, situationId, new NominativeDataErased(situationId, ErasureCauses.ErasureOrder, actor.Id, now,
            command.Reason, command.Reference?.Trim()), cancellation);
        // Before answering: the erased key's bytes leave the table's file and the WAL (README, "Erasure and backups").
        await keys.PurgeErasedAsync(cancellation);
        return new ErasureOrdered(situationId, situation.Pseudonym, now);
    }

    private static async Task RequireNobodyNamedAsync(string reference, Situation situation, IQuerySession session, PersonsConcerned persons,
        ServerCheck check, CancellationToken cancellation)
    {
        var guard = new IdentityTextGuard((await persons.OpenAsync(session, [situation], check, cancellation)).Select(p => p.Identity));
        var finding = guard.Check(reference).FirstOrDefault();
        if (finding is not null)
            new ValidationErrors().Add("reference",
                    $"La référence contient {IdentityKinds.Describe(finding.Kind)} d'une personne concernée : retirez cet élément (la référence est conservée en clair).")
                .ThrowIfAny();
    }
}
