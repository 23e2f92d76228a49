using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.ErasureOrders;

/// <summary>An erasure order: a reason from the charter's closed list and, optionally, the reference of the decision.</summary>
public sealed record OrderErasure(string? Reason, string? Reference);

public sealed record ErasureOrderedResponse(Guid SituationId, string Pseudonym, DateTimeOffset ErasedAt);

public static class OrderErasureEndpoint
{
    public const int MaxReferenceLength = 60;

    /// <summary>
    /// The coordonnateur erases a situation's nominative data now (court decision, right to erasure…). The caller is
    /// judged first, then the request: every refusal is journalled (an outsider's, an incomplete order's, an order for a
    /// situation the council does not hold, on the council's chain), then the grant; the reference is recorded in clear
    /// only if it names nobody concerned.
    /// </summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/situations/{situationId}/erasure-orders",
        Summary = "Ordonner l'effacement des données nominatives d'une situation (coordonnateur, journalisé)"), Tags("Conservation")]
    public static async Task<ErasureOrderedResponse> Post(string council, Guid situationId, OrderErasure? command, ClaimsPrincipal user,
        IQuerySession session, CharterPolicy policy, AccessJournal journal, IdentityIndex index, NominativeErasure erasure,
        SituationKeys keys, TimeProvider clock, CancellationToken cancellation)
    {
        var subject = Actor.SubjectOf(user) ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var batch = session.CreateBatchQuery();
        var memberLookup = batch.Query<Member>().Where(m => m.Subject == subject).FirstOrDefault();
        var councilLookup = batch.Load<Council>(Council.StreamId);
        var situationLookup = batch.Load<Situation>(situationId);
        await batch.Execute(cancellation);
        var member = await memberLookup;
        // An unknown council holds no journal: the same answer as for any council one does not belong to.
        var councilState = await councilLookup ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var situation = await situationLookup;

        var verdict = AccessRules.OrderErasure(policy, member, councilState);
        // Only codes from the charter's list reach the journal, never text typed by the requester.
        var purpose = policy.ErasureOrderReasons.Has(command?.Reason) ? command!.Reason : null;
        if (situation is null)
        {
            // Outsiders learn nothing of the situation's existence; an entitled caller learns it is not held here.
            var refusal = verdict.Allowed ? Refusals.UnknownSituation : verdict.Refusal!;
            await journal.AppendCouncilRefusalAsync(council, JournalActions.ErasureOrder, member?.Id, subject, purpose, refusal, cancellation);
            if (!verdict.Allowed) throw new ProblemException(Refused(verdict.Refusal!));
            throw Problems.NotFound("Situation introuvable dans ce conseil.");
        }

        var attempt = new JournalRequest(JournalActions.ErasureOrder, situationId, situation.Pseudonym, member?.Id, subject, purpose, null, null,
            Granted: false, Refusal: verdict.Refusal);
        if (!verdict.Allowed)
        {
            await journal.AppendAsync(council, attempt, cancellation);
            throw new ProblemException(Refused(verdict.Refusal!));
        }

        var errors = new ValidationErrors()
            .When(command is null, "reason", "Indiquez le motif de l'effacement.")
            .When(command is not null && !policy.ErasureOrderReasons.Has(command.Reason), "reason", "Le motif de l'effacement doit être choisi dans la liste de la charte.")
            .OptionalText(command?.Reference, "reference", "La référence de la décision", MaxReferenceLength);
        if (errors.Any)
        {
            await journal.AppendAsync(council, attempt with { Refusal = Refusals.InvalidRequest }, cancellation);
            errors.ThrowIfAny();
        }
        if (situation.IsErased)
        {
            await journal.AppendAsync(council, attempt with { Refusal = Refusals.NominativeDataErased }, cancellation);
            throw Problems.OutOfOrder("Les données nominatives de cette situation sont déjà effacées.");
        }

        // Only once authorised and valid: a refused actor learns nothing from the reference check.
        if (!string.IsNullOrWhiteSpace(command!.Reference)
            && (await index.GuardForAsync(council, [command.Reference], cancellation)).Names(command.Reference))
            throw await IdentifyingTextRefusals.OnSituationAsync(journal, council, situation, new Actor(member!, councilState),
                [("reference", "La référence de la décision")], cancellation);

        await journal.AppendAsync(council, attempt with { Granted = true, Refusal = null }, cancellation);

        var now = clock.GetUtcNow();
        await erasure.EraseAsync(council, situationId, new NominativeDataErased(situationId, ErasureCauses.ErasureOrder, member!.Id, now,
            command.Reason, command.Reference?.Trim()), cancellation);
        // Before answering: the erased key's bytes leave the table's file and the WAL (README, "Erasure and backups").
        await keys.PurgeErasedAsync(cancellation);
        return new ErasureOrderedResponse(situationId, situation.Pseudonym, now);
    }

    private static ProblemDetails Refused(string refusal)
    {
        var refused = Actor.Forbidden(refusal);
        refused.Extensions["notice"] = "Cette demande a été enregistrée dans le journal des accès.";
        return refused;
    }
}
