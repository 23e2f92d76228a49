using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using Marten;
using Wolverine.Http;

namespace CaseExchange.Situations.Search;

/// <summary>
/// A search: by pseudonym, or by name (nom and prénom) and/or birth date with a purpose of the charter's list.
/// NOMINATIVE, IN CLEAR (the identity fields): hashed at once by the identity index, never stored or logged.
/// </summary>
public sealed record SearchSituations(string? Pseudonym, string? Nom, string? Prenom, DateOnly? DateNaissance, string? Purpose)
{
    public bool ByIdentity => Nom is not null || Prenom is not null || DateNaissance is not null;

    public override string ToString() => "[recherche]";
}

/// <summary>One situation found: its pseudonym and coarse attributes, never an identity. Opening it is a separate act.</summary>
public sealed record SearchHit(Guid SituationId, string Pseudonym, Guid GroupId, string Status, bool Archived);

public sealed record SearchResponse(string By, IReadOnlyList<SearchHit> Results);

public static class SearchBy
{
    public const string Pseudonym = "pseudonyme";
    public const string Identity = "identite";
}

public static class SearchSituationsEndpoint
{
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/searches",
        Summary = "Rechercher une situation : par pseudonyme, ou par nom / date de naissance avec un motif (groupe détenteur, journalisé)"),
     Tags("Situations")]
    public static Task<SearchResponse> Post(SearchSituations? command, CouncilRequest request, IdentityIndex index, AccessJournal journal) =>
        SearchSituationsUseCase.HandleAsync(request, command, index, journal);
}

/// <summary>
/// Search bound to a purpose. By pseudonym: whoever reads the anonymised view, within its need to know (another group's
/// pseudonym is as unknown as a missing one); not journalled, nothing nominative is involved. By name or birth date: only
/// a member of a holding group, with a purpose of the charter's list; the identity index answers (keyed hashes, nothing
/// decrypted), the results are cut to the groups where the member may open files, and the search is journalled — on the
/// council's chain, and on the chain of each situation found — before the pseudonyms are returned. A refused or incomplete
/// search is journalled too. Opening a file stays a separate, journalled act.
/// </summary>
public static class SearchSituationsUseCase
{
    public const int MaxResults = 50;

    public static async Task<SearchResponse> HandleAsync(CouncilRequest request, SearchSituations? command, IdentityIndex index, AccessJournal journal)
    {
        if (command is not { ByIdentity: true }) return await ByPseudonymAsync(request, command);
        return await ByIdentityAsync(request, command, index, journal);
    }

    private static async Task<SearchResponse> ByPseudonymAsync(CouncilRequest request, SearchSituations? command)
    {
        var scope = await AnonymisedScope.RequireAsync(request);
        new ValidationErrors().RequireText(command?.Pseudonym, "pseudonym", "Le pseudonyme", 40).ThrowIfAny();
        var wanted = command!.Pseudonym!.Trim().ToUpperInvariant();
        var found = await request.Session.Query<Situation>().Where(s => s.Pseudonym == wanted).ToListAsync(request.Cancellation);
        return new SearchResponse(SearchBy.Pseudonym, [.. found.Where(s => scope.Covers(s.GroupId)).Select(Hit)]);
    }

    private static async Task<SearchResponse> ByIdentityAsync(CouncilRequest request, SearchSituations command, IdentityIndex index, AccessJournal journal)
    {
        var (session, policy, council, cancellation) = (request.Session, request.Policy, request.Council, request.Cancellation);
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var member = request.Caller;
        var councilState = request.CouncilState ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var purpose = policy.AccessPurposes.Has(command.Purpose) ? command.Purpose : null;

        var verdict = AccessRules.SearchByIdentity(policy, member, councilState);
        var groups = verdict.Allowed
            ? (await session.Query<Group>().ToListAsync(cancellation)).Where(g => g.RoleOf(member!.Id) is { } role && policy.RoleHas(role, Capabilities.OpenNominativeFiles)).ToList()
            : [];
        // Need to know: a name search is for members of a holding group; a member of none is refused whatever is held.
        if (verdict.Allowed && groups.Count == 0) verdict = AccessVerdict.Refused(Refusals.NotInHoldingGroup);
        if (!verdict.Allowed)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.IdentitySearch, member?.Id, subject, purpose, verdict.Refusal!, cancellation);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = JournalNotice.RequestRecorded;
            throw new ProblemException(refused);
        }
        var errors = Check(command, policy);
        if (errors.Any)
        {
            await journal.AppendCouncilRefusalAsync(council, JournalActions.IdentitySearch, member!.Id, subject, purpose, Refusals.InvalidRequest, cancellation);
            errors.ThrowIfAny();
        }

        var matches = await index.FindHavingAllAsync(council, TermsOf(command), cancellation);
        var ids = matches.Select(m => m.SituationId).Distinct().ToArray();
        var held = groups.ToDictionary(g => g.Id);
        var situations = ids.Length == 0
            ? []
            : await session.Query<Situation>().Where(s => s.Id.IsOneOf(ids) && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        var results = situations
            .Where(s => held.TryGetValue(s.GroupId, out var g) && AccessRules.SearchInHoldingGroup(policy, member, councilState, g).Allowed)
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal).Take(MaxResults).ToList();

        // Journalled like an opening, before anything is returned: the search on the council's chain, then each situation found on its own.
        await journal.AppendAsync(council, new JournalRequest(JournalActions.IdentitySearch, JournalChains.CouncilSituationId,
            JournalChains.CouncilPseudonym, member!.Id, subject, purpose, null, null, Granted: true, Refusal: null), cancellation);
        foreach (var situation in results)
            await journal.AppendAsync(council, new JournalRequest(JournalActions.IdentitySearch, situation.Id, situation.Pseudonym,
                member.Id, subject, purpose, null, null, Granted: true, Refusal: null), cancellation);
        return new SearchResponse(SearchBy.Identity, [.. results.Select(Hit)]);
    }

    private static SearchHit Hit(Situation s) => new(s.Id, s.Pseudonym, s.GroupId, s.Status, s.IsClosed);

    /// <summary>A purpose of the charter, and a name (nom and prénom) or a birth date, or both. Messages repeat no value.</summary>
    public static ValidationErrors Check(SearchSituations command, CharterPolicy policy)
    {
        var errors = new ValidationErrors()
            .When(!policy.AccessPurposes.Has(command.Purpose), "purpose", "Indiquez le motif de la recherche, choisi dans la liste de la charte.")
            .When(command.Pseudonym is not null, "pseudonym", "Recherchez soit par pseudonyme, soit par nom ou date de naissance.")
            .When(command.DateNaissance is null && (Blank(command.Nom) || Blank(command.Prenom)), "nom",
                "Indiquez le nom et le prénom, ou la date de naissance.")
            .OptionalText(command.Nom, "nom", "Le nom", 100)
            .OptionalText(command.Prenom, "prenom", "Le prénom", 100);
        return errors;
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>
    /// Pure: the index terms the search asks for (NOMINATIVE, IN CLEAR: hashed at once). All three: the exact identity;
    /// otherwise the whole surname, the whole first name and the birth date as given, all held by one person.
    /// </summary>
    public static IReadOnlyList<string> TermsOf(SearchSituations command)
    {
        if (!Blank(command.Nom) && !Blank(command.Prenom) && command.DateNaissance is { } birth)
            return [IdentityTerms.ExactIdentity(command.Nom!, command.Prenom!, birth)];
        var terms = new List<string>();
        if (!Blank(command.Nom)) terms.Add("w:" + Joined(command.Nom!));
        if (!Blank(command.Prenom)) terms.Add("w:" + Joined(command.Prenom!));
        if (command.DateNaissance is { } date) terms.Add($"d:{date.Year:D4}-{date.Month:D2}-{date.Day:D2}");
        return terms;
    }

    private static string Joined(string value) => string.Concat(IdentityTerms.Tokenise(value).Select(t => t.Folded));
}
