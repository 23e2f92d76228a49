using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Viewing;

/// <summary>
/// For a closed situation (inactive archive), a closed-list reason plus a written justification.
/// NOMINATIVE, IN CLEAR until sealed: the justification is free text.
/// </summary>
public sealed record ArchiveAccessReason(string? Code, [property: JsonPropertyName("detail")] string? DetailInClear)
{
    public override string ToString() => "[motif d'accès à l'archive]";
}

/// <summary>Opening a full file requires a stated purpose from the charter's list.</summary>
public sealed record OpenFile(string? Purpose, ArchiveAccessReason? ArchiveReason);

public static class OpenFileEndpoint
{
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/situations/{situationId}/file-openings", Summary = "Ouvrir le dossier nominatif (motif requis, consultation journalisée)"), Tags("Situations")]
    public static Task<NominativeSituationFile> Post(Guid situationId, OpenFile? command, CouncilRequest request, SituationKeys keys,
        AccessJournal journal, VaultReader vault) =>
        OpenFileUseCase.HandleAsync(request, situationId, command, keys, journal, vault);
}

/// <summary>
/// The full file, for an entitled member, in this order: decide with the charter's rules; journal a refusal and
/// answer 403; unwrap the situation's key; journal the access and wait for its commit; only then decrypt and answer.
/// If the journal cannot be written, the answer is a 503 and nothing is decrypted (fail closed).
/// </summary>
public static class OpenFileUseCase
{
    public const int MinArchiveDetailLength = 15;
    public const int MaxArchiveDetailLength = 1000;
    public const string RefusalNotice = "Cette tentative d'accès a été enregistrée dans le journal des accès.";

    /// <summary>
    /// <paramref name="command"/> null is a body of JSON <c>null</c>: judged like an empty request, the caller first, then
    /// the request, both journalled. The caller is judged here, not before: an outsider's attempt is journalled too.
    /// </summary>
    public static async Task<NominativeSituationFile> HandleAsync(CouncilRequest request, Guid situationId, OpenFile? command, SituationKeys keys,
        AccessJournal journal, VaultReader vault)
    {
        var (session, policy, cancellation) = (request.Session, request.Policy, request.Cancellation);
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var (member, councilState) = (request.Caller, request.CouncilState);
        // The situation, then its group: two primary-key reads. Not Marten's Include, which writes the situation into a
        // temporary table first (4 ms of PostgreSQL per opening under load, and a DISCARD TEMP when the connection returns).
        var situation = councilState is null ? null : await session.LoadAsync<Situation>(situationId, cancellation);
        var group = situation is null ? null : await session.LoadAsync<Group>(situation.GroupId, cancellation);

        if (councilState is null || situation is null)
        {
            // Same answer as for any council one does not belong to: existence is not disclosed to outsiders.
            if (councilState is null || member is not { Active: true }) throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
            throw Problems.NotFound("Situation introuvable dans ce conseil.");
        }

        var opening = command ?? new OpenFile(null, null);
        var verdict = AccessRules.OpenNominativeFile(policy, member, councilState, group, situation, opening.ArchiveReason is not null);
        var attempt = Attempt(opening, situation, member, subject, policy, verdict);

        if (!verdict.Allowed)
        {
            await journal.AppendAsync(session.TenantId, attempt, cancellation);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = RefusalNotice;
            throw new ProblemException(refused);
        }

        if (command is null)
        {
            await journal.AppendAsync(session.TenantId, attempt with { Refusal = Refusals.InvalidRequest }, cancellation);
            new ValidationErrors().Add("purpose", "Indiquez le motif de la consultation, choisi dans la liste de la charte.").ThrowIfAny();
        }
        Check(opening, situation, policy).ThrowIfAny();

        SituationSealer sealer;
        try
        {
            // Unwrapping for the seal tells an erased or unavailable key apart before the access is journalled as granted.
            sealer = await keys.SealerForAsync(session, situationId, cancellation);
        }
        catch (ProblemException unavailable)
        {
            var failure = unavailable.Problem.Status == StatusCodes.Status410Gone ? Refusals.NominativeDataErased : JournalFailures.KeyUnavailable;
            await JournalFailedAttemptAsync(journal, session.TenantId, attempt with { Refusal = failure }, cancellation);
            throw;
        }

        var detail = situation.IsClosed ? sealer.Seal(SealedFields.ArchiveAccessDetail, opening.ArchiveReason!.DetailInClear!.Trim()) : null;
        var receipt = await journal.CommitAsync(session.TenantId, attempt with { Granted = true, Refusal = null, ArchiveReasonDetail = detail }, cancellation);
        var opened = await vault.OpenAsync(session, receipt, cancellation);

        var events = await session.Events.FetchStreamAsync(situationId, token: cancellation);
        var members = await session.LoadManyAsync<Member>(cancellation, NominativeFileBuilder.MembersNamedIn(events));
        var file = NominativeFileBuilder.Build(situation, events, opened, members.ToDictionary(m => m.Id), group?.Name ?? "",
            CaseExchange.Journal.JournalNotice.Text, policy);
        // Links to other groups' situations are shown only to a reader those groups' rows are open to.
        if (file.Summary.Links is not { Count: > 0 } || AccessRules.ReadsEveryGroup(policy, member!)) return file;
        var readerGroups = await session.Query<Group>().Where(g => g.Members.ContainsKey(member!.Id)).Select(g => g.Id).ToListAsync(cancellation);
        var scope = new AnonymisedScope(readerGroups.ToHashSet());
        return file with { Summary = (await scope.WithLinksItCoversAsync(session, [file.Summary], cancellation))[0] };
    }

    /// <summary>
    /// Pure: the journal entry of this attempt, not yet granted. Only codes from the charter's lists reach the journal,
    /// never text typed by the requester.
    /// </summary>
    public static JournalRequest Attempt(OpenFile command, Situation situation, Member? member, string subject, CharterPolicy policy, AccessVerdict verdict) =>
        new(situation.IsClosed ? JournalActions.ArchiveOpening : JournalActions.FileOpening, situation.Id, situation.Pseudonym,
            member?.Id, subject,
            Purpose: policy.AccessPurposes.Has(command.Purpose) ? command.Purpose : null,
            ArchiveReasonCode: situation.IsClosed && policy.ArchiveAccessReasons.Has(command.ArchiveReason?.Code) ? command.ArchiveReason!.Code : null,
            ArchiveReasonDetail: null, Granted: false, Refusal: verdict.Refusal);

    /// <summary>An entitled member's request must be complete; an incomplete one opens nothing and is not an access.</summary>
    public static ValidationErrors Check(OpenFile command, Situation situation, CharterPolicy policy)
    {
        var errors = new ValidationErrors()
            .When(!policy.AccessPurposes.Has(command.Purpose), "purpose", "Indiquez le motif de la consultation, choisi dans la liste de la charte.");
        if (situation.IsClosed && command.ArchiveReason is { } reason)
        {
            errors.When(!policy.ArchiveAccessReasons.Has(reason.Code), "archiveReason.code", "Le motif d'accès à l'archive doit être choisi dans la liste.");
            errors.RequireText(reason.DetailInClear, "archiveReason.detail", "La justification écrite", MaxArchiveDetailLength);
            errors.When(reason.DetailInClear is { } text && text.Trim().Length < MinArchiveDetailLength, "archiveReason.detail",
                $"La justification écrite doit être explicite ({MinArchiveDetailLength} caractères au moins).");
        }
        return errors;
    }

    /// <summary>The key could not be unwrapped: journal the failed attempt if the journal can be written, and answer with the key's problem.</summary>
    private static async Task JournalFailedAttemptAsync(AccessJournal journal, string council, JournalRequest attempt, CancellationToken cancellation)
    {
        try
        {
            await journal.AppendAsync(council, attempt, cancellation);
        }
        catch (ProblemException)
        {
            // The journal logged its own failure; the key's problem is the answer either way, and it returns nothing.
        }
    }
}
