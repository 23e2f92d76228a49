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
    /// <summary>
    /// The coordonnateur erases a situation's nominative data now (court decision, right to erasure…). The caller is
    /// judged first, then the request: every refusal is journalled (an outsider's, an incomplete order's, an order for a
    /// situation the council does not hold, on the council's chain), then the grant; the reference is recorded in clear
    /// only if it names nobody concerned.
    /// </summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/situations/{situationId}/erasure-orders",
        Summary = "Ordonner l'effacement des données nominatives d'une situation (coordonnateur, journalisé)"), Tags("Conservation")]
    public static Task<ErasureOrderedResponse> Post(Guid situationId, OrderErasure? command, CouncilRequest request, ErasureServices services) =>
        OrderErasureUseCase.HandleAsync(request, situationId, command, services);
}

/// <summary>What an erasure order needs beyond the request: the journal, the identity index, the erasure itself and the keys.</summary>
public sealed record ErasureServices(AccessJournal Journal, IdentityIndex Index, NominativeErasure Erasure, SituationKeys Keys);

public static class OrderErasureUseCase
{
    public const int MaxReferenceLength = 60;

    public static async Task<ErasureOrderedResponse> HandleAsync(CouncilRequest request, Guid situationId, OrderErasure? command, ErasureServices services)
    {
        var (journal, council, policy, cancellation) = (services.Journal, request.Council, request.Policy, request.Cancellation);
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var member = request.Caller;
        // An unknown council holds no journal: the same answer as for any council one does not belong to.
        var councilState = request.CouncilState ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var situation = await request.Session.LoadAsync<Situation>(situationId, cancellation);

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

        var errors = Check(command, policy);
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
            && (await services.Index.GuardForAsync(council, [command.Reference], cancellation)).Names(command.Reference))
            throw await IdentifyingTextRefusals.OnSituationAsync(journal, council, situation, new Actor(member!, councilState),
                [("reference", "La référence de la décision")], cancellation);

        await journal.AppendAsync(council, attempt with { Granted = true, Refusal = null }, cancellation);

        var erased = Decide(situationId, command, member!.Id, request.Now);
        await services.Erasure.EraseAsync(council, situationId, erased, cancellation);
        // Before answering: the erased key's bytes leave the table's file and the WAL (README, "Erasure and backups").
        await services.Keys.PurgeErasedAsync(cancellation);
        return new ErasureOrderedResponse(situationId, situation.Pseudonym, erased.At);
    }

    /// <summary>A reason from the charter's list; an optional reference of bounded length.</summary>
    public static ValidationErrors Check(OrderErasure? command, CharterPolicy policy) => new ValidationErrors()
        .When(command is null, "reason", "Indiquez le motif de l'effacement.")
        .When(command is not null && !policy.ErasureOrderReasons.Has(command.Reason), "reason", "Le motif de l'effacement doit être choisi dans la liste de la charte.")
        .OptionalText(command?.Reference, "reference", "La référence de la décision", MaxReferenceLength);

    public static NominativeDataErased Decide(Guid situationId, OrderErasure command, Guid orderedBy, DateTimeOffset now) =>
        new(situationId, ErasureCauses.ErasureOrder, orderedBy, now, command.Reason, command.Reference?.Trim());

    private static ProblemDetails Refused(string refusal)
    {
        var refused = Actor.Forbidden(refusal);
        refused.Extensions["notice"] = JournalNotice.RequestRecorded;
        return refused;
    }
}
