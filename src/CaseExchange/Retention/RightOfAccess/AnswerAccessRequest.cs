using System.Security.Claims;
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
    public static Task<RightOfAccessDocument> Post(string council, AccessRequestInClear? command, ClaimsPrincipal user, IQuerySession session,
        CharterPolicy policy, AccessJournal journal, IdentityIndex index, RightOfAccessDocuments documents, TimeProvider clock,
        CancellationToken cancellation) =>
        AnswerAsync(council, command, user, session, policy, journal, index, documents, clock, cancellation);

    /// <summary>The same document as a printable HTML file, the one usually handed over.</summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/access-requests/document",
        Summary = "Droit d'accès : le document à remettre à la personne, en HTML imprimable (coordonnateur, journalisé)"), Tags("Conservation")]
    public static async Task<RightOfAccessHtml> PostDocument(string council, AccessRequestInClear? command, ClaimsPrincipal user, IQuerySession session,
        CharterPolicy policy, AccessJournal journal, IdentityIndex index, RightOfAccessDocuments documents, TimeProvider clock,
        CancellationToken cancellation) =>
        new(await AnswerAsync(council, command, user, session, policy, journal, index, documents, clock, cancellation));

    public static async Task<RightOfAccessDocument> AnswerAsync(string council, AccessRequestInClear? request, ClaimsPrincipal user,
        IQuerySession session, CharterPolicy policy, AccessJournal journal, IdentityIndex index, RightOfAccessDocuments documents,
        TimeProvider clock, CancellationToken cancellation)
    {
        // The caller first, then the request; a refusal names no situation, so it goes to the council's chain.
        var subject = Actor.SubjectOf(user) ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var batch = session.CreateBatchQuery();
        var memberLookup = batch.Query<Member>().Where(m => m.Subject == subject).FirstOrDefault();
        var councilLookup = batch.Load<Council>(Council.StreamId);
        await batch.Execute(cancellation);
        var member = await memberLookup;
        var councilState = await councilLookup ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var verdict = AccessRules.AnswerAccessRequest(policy, member, councilState);
        if (!verdict.Allowed)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.RightOfAccessExport, member?.Id, subject,
                JournalActions.RightOfAccessPurpose, verdict.Refusal!, cancellation);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = "Cette demande a été enregistrée dans le journal des accès.";
            throw new ProblemException(refused);
        }
        var actor = new Actor(member!, councilState);
        var errors = new ValidationErrors()
            .RequireText(request?.Nom, "nom", "Le nom", 100)
            .RequireText(request?.Prenom, "prenom", "Le prénom", 100)
            .When(request?.DateNaissance is null, "dateNaissance", "La date de naissance est obligatoire.");
        if (errors.Any)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.RightOfAccessExport, actor.Id, subject,
                JournalActions.RightOfAccessPurpose, Refusals.InvalidRequest, cancellation);
            errors.ThrowIfAny();
        }
        var command = request!;

        // The index answers the search: no live situation is decrypted to find the person.
        var matches = await index.FindAsync(council, command.Nom!, command.Prenom!, command.DateNaissance!.Value, cancellation);
        var matchedIds = matches.Select(m => m.SituationId).Distinct().ToArray();
        var live = matchedIds.Length == 0
            ? []
            : await session.Query<Situation>().Where(s => s.Id.IsOneOf(matchedIds) && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        matches = [.. matches.Where(m => live.Any(s => s.Id == m.SituationId))];

        // Journal first, one entry per situation exported; only with those receipts is anything decrypted for the document.
        var exports = new Dictionary<Guid, JournalReceipt>();
        foreach (var situationId in matches.Select(m => m.SituationId).Distinct())
        {
            var situation = live.First(s => s.Id == situationId);
            exports[situationId] = await journal.CommitAsync(council, new JournalRequest(JournalActions.RightOfAccessExport, situationId, situation.Pseudonym,
                actor.Id, actor.Member.Subject, JournalActions.RightOfAccessPurpose, null, null, Granted: true, Refusal: null), cancellation);
        }
        return await documents.BuildAsync(session, actor.Council, command, matches, live, exports, clock.GetUtcNow(), cancellation);
    }
}
