using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Wolverine.Http;

namespace CaseExchange.Situations.Duplicates;

/// <summary>NOMINATIVE, IN CLEAR: the identity to check before (or at) a referral. Hashed at once, never stored or logged.</summary>
public sealed record CheckDuplicates(string? Nom, string? Prenom, DateOnly? DateNaissance)
{
    public override string ToString() => "[identité à vérifier]";
}

/// <summary>A situation of one of the caller's groups that already concerns the person: its pseudonym, never an identity.</summary>
public sealed record DuplicateInMyGroup(Guid SituationId, string Pseudonym, Guid GroupId, string GroupName, bool Archived);

/// <summary>For the coordonnateur only: another group holds a situation concerning the person (which group, nothing more).</summary>
public sealed record DuplicateInOtherGroup(Guid GroupId, string GroupName);

public sealed record DuplicateCheckResponse(IReadOnlyList<DuplicateInMyGroup> InMyGroups, IReadOnlyList<DuplicateInOtherGroup> InOtherGroups,
    IReadOnlyList<string> Messages);

public static class CheckDuplicatesEndpoint
{
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/duplicate-checks",
        Summary = "Doublons au signalement : une situation concerne-t-elle déjà cette personne dans vos groupes ? (journalisé, pseudonymes seulement)"),
     Tags("Situations")]
    public static Task<DuplicateCheckResponse> Post(CheckDuplicates? command, CouncilRequest request, IdentityIndex index, AccessJournal journal) =>
        CheckDuplicatesUseCase.HandleAsync(request, command, index, journal);
}

/// <summary>
/// Duplicates that reveal nothing. The identity index (keyed hashes) is asked for the exact name, first name and birth
/// date; the answer is cut to what the caller may know before it is built: the pseudonyms of the matching situations of
/// the caller's own groups (active or archived), and, for the coordonnateur only, the names of the other groups that hold
/// one. Anyone else gets the same empty answer whether or not another group holds the person: the check is no oracle.
/// Every check (and every refusal) is journalled on the council's chain before the answer.
/// </summary>
public static class CheckDuplicatesUseCase
{
    public const string InMyGroupMessage = "Une situation (active ou archivée) concerne déjà cette personne dans votre groupe";
    public const string OtherGroupMessage = "Une situation concerne déjà cette personne dans le groupe";

    public static async Task<DuplicateCheckResponse> HandleAsync(CouncilRequest request, CheckDuplicates? command, IdentityIndex index,
        AccessJournal journal, Guid? excluding = null)
    {
        var (council, cancellation) = (request.Council, request.Cancellation);
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var member = request.Caller;
        var councilState = request.CouncilState ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var verdict = AccessRules.CheckDuplicates(request.Policy, member, councilState);
        if (!verdict.Allowed)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.DuplicateCheck, member?.Id, subject,
                JournalActions.DuplicateCheckPurpose, verdict.Refusal!, cancellation);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = JournalNotice.RequestRecorded;
            throw new ProblemException(refused);
        }
        var errors = Check(command);
        if (errors.Any)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.DuplicateCheck, member!.Id, subject,
                JournalActions.DuplicateCheckPurpose, Refusals.InvalidRequest, cancellation);
            errors.ThrowIfAny();
        }

        var matches = await index.FindAsync(council, command!.Nom!, command.Prenom!, command.DateNaissance!.Value, cancellation);
        var ids = matches.Select(m => m.SituationId).Where(id => id != excluding).Distinct().ToArray();
        var situations = ids.Length == 0
            ? []
            : await request.Session.Query<Situation>().Where(s => s.Id.IsOneOf(ids) && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        var groups = await request.Session.Query<Group>().ToListAsync(cancellation);

        // Journal first: the check is recorded whatever it finds, and before anything is answered.
        await journal.AppendAsync(council, new JournalRequest(JournalActions.DuplicateCheck, JournalChains.CouncilSituationId,
            JournalChains.CouncilPseudonym, member!.Id, subject, JournalActions.DuplicateCheckPurpose, null, null, Granted: true, Refusal: null), cancellation);
        return AnswerFor(situations, groups, member, request.Policy);
    }

    /// <summary>
    /// Pure: what the caller is told. A situation of a group the caller belongs to: its pseudonym. Another group's: its
    /// name, to the coordonnateur only. Nothing else, so that a member outside learns nothing.
    /// </summary>
    public static DuplicateCheckResponse AnswerFor(IReadOnlyList<Situation> matches, IReadOnlyList<Group> groups, Member member, CharterPolicy policy)
    {
        var byId = groups.ToDictionary(g => g.Id);
        var mine = matches.Where(s => byId.GetValueOrDefault(s.GroupId)?.HasMember(member.Id) == true)
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal)
            .Select(s => new DuplicateInMyGroup(s.Id, s.Pseudonym, s.GroupId, byId[s.GroupId].Name, s.IsClosed))
            .ToList();
        var others = AccessRules.SeesDuplicatesCouncilWide(policy, member)
            ? matches.Where(s => byId.GetValueOrDefault(s.GroupId) is { } g && !g.HasMember(member.Id))
                .Select(s => byId[s.GroupId]).DistinctBy(g => g.Id).OrderBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => new DuplicateInOtherGroup(g.Id, g.Name)).ToList()
            : [];
        var messages = mine.Select(d => $"{InMyGroupMessage} ({d.GroupName}) : {d.Pseudonym}{(d.Archived ? " (archivée)" : "")}.")
            .Concat(others.Select(o => $"{OtherGroupMessage} « {o.GroupName} » (seule son existence vous est indiquée).")).ToList();
        return new DuplicateCheckResponse(mine, others, messages);
    }

    public static ValidationErrors Check(CheckDuplicates? command) => new ValidationErrors()
        .RequireText(command?.Nom, "nom", "Le nom", 100)
        .RequireText(command?.Prenom, "prenom", "Le prénom", 100)
        .When(command?.DateNaissance is null, "dateNaissance", "La date de naissance est obligatoire.");
}
