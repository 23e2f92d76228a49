using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Referral;

/// <summary>NOMINATIVE, IN CLEAR: one person block of the referral form.</summary>
public sealed class PersonForm
{
    public string? Role { get; set; }
    public string? Nom { get; set; }
    public string? Prenom { get; set; }
    public string? Sexe { get; set; }
    public DateOnly? DateNaissance { get; set; }
    public string? Adresse { get; set; }
    public string? Telephone { get; set; }
    public string? Courriel { get; set; }
    public string? SituationScolaireOuProfessionnelle { get; set; }
    public string? RepresentantsLegaux { get; set; }

    /// <summary>A block left blank (its role aside) is not a person.</summary>
    public bool IsEmpty => DateNaissance is null && new[]
        { Nom, Prenom, Sexe, Adresse, Telephone, Courriel, SituationScolaireOuProfessionnelle, RepresentantsLegaux }.All(string.IsNullOrWhiteSpace);

    public PersonInClear ToRequest() => new(Role, Blank(Nom), Blank(Prenom), Blank(Sexe), DateNaissance, Blank(Adresse), Blank(Telephone),
        Blank(Courriel), Blank(SituationScolaireOuProfessionnelle), Blank(RepresentantsLegaux));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public override string ToString() => "[personne nominative]";
}

/// <summary>NOMINATIVE, IN CLEAR: the referral form, sealed by the use case before anything is stored.</summary>
public sealed class ReferralForm
{
    /// <summary>The new situation's id, chosen when the form is shown: submitting the form twice refers the situation once.</summary>
    public Guid? Id { get; set; }
    public Guid? GroupId { get; set; }
    public List<string> Reasons { get; set; } = [];
    public string? Sector { get; set; }
    public string? Urgency { get; set; }
    public List<PersonForm> Persons { get; set; } = [];
    public string? Facts { get; set; }

    public override string ToString() => "[signalement nominatif]";
}

/// <summary>
/// Logging a situation: closed lists from the charter, identity fields, facts. Empty person blocks are ignored;
/// the form opens with one block (the person followed); "Ajouter une personne" brings one more block (no JavaScript).
/// </summary>
public sealed class NouvelleModel(SituationKeys keys, Pseudonyms pseudonyms, IdentityIndex index, CaseExchange.Journal.AccessJournal journal) : CouncilPageModel
{
    public const int InitialBlocks = 1;

    [BindProperty] public ReferralForm Input { get; set; } = new();

    public IReadOnlyList<MyGroup> Groups { get; private set; } = [];

    public int MaxPersons => ReferSituationUseCase.MaxPersons;

    public async Task<IActionResult> OnGetAsync()
    {
        await PrepareAsync();
        Input.Id = Guid.CreateVersion7();
        Input.Persons = [.. Enumerable.Range(0, InitialBlocks).Select(i => new PersonForm { Role = i == 0 ? PersonRoles.Followed : null })];
        if (Groups.Count == 1) Input.GroupId = Groups[0].GroupId;
        return Page();
    }

    public async Task<IActionResult> OnPostAjouterPersonneAsync()
    {
        await PrepareAsync();
        ModelState.Clear();
        if (Input.Persons.Count < MaxPersons) Input.Persons.Add(new PersonForm());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await PrepareAsync();
        // Blocks left blank are dropped; errors about the others point back to the block they came from.
        var filled = Input.Persons.Select((person, block) => (person, block)).Where(p => !p.person.IsEmpty).ToList();
        var command = new ReferSituation(Input.GroupId ?? Guid.Empty, Input.Reasons, Input.Sector, Input.Urgency,
            [.. filled.Select(p => p.person.ToRequest())], Input.Facts, Input.Id ?? Guid.CreateVersion7());
        IReadOnlyList<string> duplicates = [];
        return await SubmitAsync(
            async () =>
            {
                var created = await ReferSituationUseCase.HandleAsync(CouncilRequest, command, keys, pseudonyms, index);
                duplicates = await Duplicates.DuplicatesAtReferral.MessagesAsync(CouncilRequest, command, created.SituationId, index, journal);
                return created;
            },
            created =>
            {
                Tell(string.Join(" ", [$"La situation {created.Pseudonym} est enregistrée. Les données nominatives sont chiffrées ; elle apparaît dans la liste sous ce pseudonyme.",
                    .. duplicates]));
                return Redirect(Href($"situations/{created.SituationId}"));
            },
            () => Task.CompletedTask,
            mapField: field => RemapPerson(field, filled.Select(p => p.block).ToList()));
    }

    /// <summary>Only members of a group with the charter signed may refer: the form is refused up front rather than after typing.</summary>
    private async Task PrepareAsync()
    {
        var mine = Me.Groups.Where(g => Policy.RoleHas(g.Role, Capabilities.ReferSituations)).ToList();
        var groups = (await Session.LoadManyAsync<Group>(mine.Select(g => g.GroupId))).ToDictionary(g => g.Id);
        var verdicts = mine.Select(g => (Group: g, Verdict: AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council,
            groups.GetValueOrDefault(g.GroupId), Capabilities.ReferSituations))).ToList();
        Groups = [.. verdicts.Where(v => v.Verdict.Allowed).Select(v => v.Group)];
        if (Groups.Count == 0)
            Actor.Require(verdicts.Select(v => v.Verdict).FirstOrDefault() ?? AccessVerdict.Refused(Refusals.RoleNotAllowed));
    }

    private static string RemapPerson(string field, IReadOnlyList<int> blocks)
    {
        if (!field.StartsWith("persons[", StringComparison.Ordinal)) return field;
        var close = field.IndexOf(']');
        return int.TryParse(field.AsSpan(8, close - 8), out var index) && index < blocks.Count
            ? $"persons[{blocks[index]}]{field[(close + 1)..]}"
            : field;
    }
}
