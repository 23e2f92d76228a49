using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.RightOfAccess;

/// <summary>
/// NOMINATIVE, IN CLEAR: the identity of the person exercising their right of access, as the coordonnateur checked
/// it on an identity document.
/// </summary>
public sealed record AccessRequestInClear(string? Nom, string? Prenom, DateOnly? DateNaissance)
{
    public override string ToString() => "[demande d'accès nominative]";
}

/// <summary>
/// The right of access (RGPD art. 15): the coordonnateur finds every situation that concerns the person and produces
/// everything held about them in each, as a document to hand over. Each situation exported is journalled before the
/// document is returned. The search asks the identity index for the person's exact name, first name and birth date
/// (keyed hashes): only the matching situations are decrypted, after the journal entry.
/// </summary>
public static class AnswerAccessRequestEndpoint
{
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/access-requests",
        Summary = "Droit d'accès : tout ce qui est détenu sur une personne (coordonnateur, journalisé)"), Tags("Conservation")]
    public static Task<RightOfAccessDocument> Post(AccessRequestInClear? command, CouncilRequest request, RightOfAccessServices services) =>
        AnswerAccessRequestUseCase.HandleAsync(request, command, services);

    /// <summary>The same document as a printable HTML file, the one usually handed over.</summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/access-requests/document",
        Summary = "Droit d'accès : le document à remettre à la personne, en HTML imprimable (coordonnateur, journalisé)"), Tags("Conservation")]
    public static async Task<RightOfAccessHtml> PostDocument(AccessRequestInClear? command, CouncilRequest request, RightOfAccessServices services) =>
        new(await AnswerAccessRequestUseCase.HandleAsync(request, command, services));
}

/// <summary>What answering a right-of-access request needs beyond the request: the journal, the identity index, the document builder.</summary>
public sealed record RightOfAccessServices(AccessJournal Journal, IdentityIndex Index, RightOfAccessDocuments Documents);

public static class AnswerAccessRequestUseCase
{
    public static async Task<RightOfAccessDocument> HandleAsync(CouncilRequest request, AccessRequestInClear? command, RightOfAccessServices services)
    {
        var (journal, council, cancellation) = (services.Journal, request.Council, request.Cancellation);
        var actor = await RequireEntitledAsync(request, services);
        var subject = actor.Member.Subject;
        var errors = Check(command);
        if (errors.Any)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.RightOfAccessExport, actor.Id, subject,
                JournalActions.RightOfAccessPurpose, Refusals.InvalidRequest, cancellation);
            errors.ThrowIfAny();
        }
        var person = command!;

        // The index answers the search: no live situation is decrypted to find the person.
        var matches = await services.Index.FindAsync(council, person.Nom!, person.Prenom!, person.DateNaissance!.Value, cancellation);
        var matchedIds = matches.Select(m => m.SituationId).Distinct().ToArray();
        var live = matchedIds.Length == 0
            ? []
            : await request.Session.Query<Situation>().Where(s => s.Id.IsOneOf(matchedIds) && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        matches = [.. matches.Where(m => live.Any(s => s.Id == m.SituationId))];

        // Journal first, one entry per situation exported; only with those receipts is anything decrypted for the document.
        var exports = new Dictionary<Guid, JournalReceipt>();
        foreach (var situationId in matches.Select(m => m.SituationId).Distinct())
        {
            var situation = live.First(s => s.Id == situationId);
            exports[situationId] = await journal.CommitAsync(council, new JournalRequest(JournalActions.RightOfAccessExport, situationId, situation.Pseudonym,
                actor.Id, actor.Member.Subject, JournalActions.RightOfAccessPurpose, null, null, Granted: true, Refusal: null), cancellation);
        }
        return await services.Documents.BuildAsync(request.Session, actor.Council, person, matches, live, exports, request.Now, cancellation);
    }

    /// <summary>The caller first, then the request; a refusal names no situation, so it goes to the council's chain.</summary>
    public static async Task<Actor> RequireEntitledAsync(CouncilRequest request, RightOfAccessServices services)
    {
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var member = request.Caller;
        var councilState = request.CouncilState ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var verdict = AccessRules.AnswerAccessRequest(request.Policy, member, councilState);
        if (!verdict.Allowed)
        {
            await services.Journal.AppendCouncilRefusalAsync(request.Council, JournalActions.RightOfAccessExport, member?.Id, subject,
                JournalActions.RightOfAccessPurpose, verdict.Refusal!, request.Cancellation);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = JournalNotice.RequestRecorded;
            throw new ProblemException(refused);
        }
        return new Actor(member!, councilState);
    }

    /// <summary>The identity as checked on a document: name, first name, birth date.</summary>
    public static ValidationErrors Check(AccessRequestInClear? request) => new ValidationErrors()
        .RequireText(request?.Nom, "nom", "Le nom", 100)
        .RequireText(request?.Prenom, "prenom", "Le prénom", 100)
        .When(request?.DateNaissance is null, "dateNaissance", "La date de naissance est obligatoire.");
}
