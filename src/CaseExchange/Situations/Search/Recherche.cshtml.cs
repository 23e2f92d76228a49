using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Search;

/// <summary>NOMINATIVE, IN CLEAR: the identity part of the search form. Never shown back: the form comes back empty.</summary>
public sealed class IdentitySearchForm
{
    public string? Nom { get; set; }
    public string? Prenom { get; set; }
    public DateOnly? DateNaissance { get; set; }
    public string? Purpose { get; set; }

    public override string ToString() => "[recherche nominative]";
}

/// <summary>
/// The search page: by pseudonym for whoever reads the anonymised view; by name or birth date, with a purpose, for the
/// members of a holding group (journalled before the pseudonyms are shown). The typed identity is never shown back.
/// </summary>
public sealed class RechercheModel(IdentityIndex index, AccessJournal journal) : CouncilPageModel
{
    [BindProperty] public string? Pseudonyme { get; set; }
    [BindProperty] public IdentitySearchForm Identite { get; set; } = new();

    public SearchResponse? Result { get; private set; }
    public bool MaySearchByIdentity { get; private set; }
    public IReadOnlyDictionary<Guid, string> GroupNames { get; private set; } = new Dictionary<Guid, string>();

    public async Task OnGetAsync() => await PrepareAsync();

    public async Task<IActionResult> OnPostPseudonymeAsync()
    {
        await PrepareAsync();
        Result = await RunAsync(new SearchSituations(Pseudonyme ?? "", null, null, null, null), "Pseudonyme", _ => "");
        return Page();
    }

    public async Task<IActionResult> OnPostIdentiteAsync()
    {
        await PrepareAsync();
        var command = new SearchSituations(null, Blank(Identite.Nom), Blank(Identite.Prenom), Identite.DateNaissance, Identite.Purpose);
        // A form with no identity at all is still a search by identity (its check asks for one).
        if (!command.ByIdentity) command = command with { Nom = "" };
        Result = await RunAsync(command, "Identite", field => field switch { "purpose" => "Purpose", "prenom" => "Prenom", "dateNaissance" => "DateNaissance", _ => "Nom" });
        // Never show the identity back.
        Identite = new IdentitySearchForm { Purpose = Identite.Purpose };
        ModelState.Remove("Identite.Nom");
        ModelState.Remove("Identite.Prenom");
        ModelState.Remove("Identite.DateNaissance");
        return Page();
    }

    private async Task<SearchResponse?> RunAsync(SearchSituations command, string prefix, Func<string, string> mapField)
    {
        try
        {
            return await SearchSituationsUseCase.HandleAsync(CouncilRequest, command, index, journal);
        }
        catch (ProblemException e) when (e.Problem is HttpValidationProblemDetails validation)
        {
            foreach (var (field, messages) in validation.Errors)
                foreach (var message in messages)
                    ModelState.AddModelError(mapField(field) is { Length: > 0 } mapped ? $"{prefix}.{mapped}" : prefix, message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }
    }

    private async Task PrepareAsync()
    {
        // Refused up front, like the anonymised list.
        await AnonymisedScope.RequireAsync(CouncilRequest);
        MaySearchByIdentity = AccessRules.SearchByIdentity(Policy, Actor.Member, Actor.Council).Allowed
                              && GroupsWhereICan(Capabilities.OpenNominativeFiles).Any();
        GroupNames = (await Session.Query<Councils.Group>().ToListAsync()).ToDictionary(g => g.Id, g => g.Name);
    }

    public string GroupName(Guid id) => GroupNames.TryGetValue(id, out var name) ? name : "";

    public string JournalNoticeText => JournalNotice.RequestRecorded;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
