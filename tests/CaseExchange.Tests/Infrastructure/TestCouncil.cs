using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Situations.Referral;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// A council with one member per position that the charter distinguishes, built through the HTTP API
/// (only the council's establishment is an operator act). Group A holds the situations under test.
/// </summary>
public sealed class TestCouncil
{
    public required string Code { get; init; }
    public required Guid GroupA { get; init; }
    public required Guid GroupB { get; init; }
    public required Dictionary<string, Guid> Ids { get; init; }

    // Subjects, by the position each one stands for.
    public string Coordonnateur => $"{Code}.coordonnateur";
    public string Animateur => $"{Code}.animateur";
    public string MemberOfHoldingGroup => $"{Code}.membre-a";
    public string Referent => $"{Code}.referent";
    public string MemberOfOtherGroup => $"{Code}.membre-b";
    public string UnsignedMember => $"{Code}.sans-signature";
    public string RemovedMember => $"{Code}.retire";
    public string Auditeur => $"{Code}.auditeur";
    public string President => $"{Code}.president";

    public string Api => $"/api/councils/{Code}";

    public Guid Id(string subject) => Ids[subject];

    /// <summary>
    /// Establishes the council <paramref name="wanted"/> (with a number appended if the service already has one of that
    /// code: two classes of one fixture type on the suite's shared service) and registers its members and groups.
    /// </summary>
    public static async Task<TestCouncil> CreateAsync(TestService service, string wanted)
    {
        var code = service.ClaimCouncilCode(wanted);
        var policy = service.Services.GetRequiredService<CharterPolicy>();
        var now = (service.Clock ?? TimeProvider.System).GetUtcNow();
        var coordinator = $"{code}.coordonnateur";
        var ids = new Dictionary<string, Guid>
        {
            [coordinator] = await CouncilBootstrap.EstablishAsync(service.Store, policy, code, $"CLSPD de test {code}",
                [new Sector("nord", "Quartier nord"), new Sector("sud", "Quartier sud")],
                new FirstCoordinator(coordinator, "Coordonnatrice Test", "Mairie", "Coordonnatrice"), now),
        };
        var api = $"/api/councils/{code}";

        async Task<Guid> Register(string suffix, string organisation, params string[] councilRoles)
        {
            var subject = $"{code}.{suffix}";
            var member = await service.PostJsonAsync<MemberCreated>(coordinator, $"{api}/members",
                new { subject, displayName = $"Membre {suffix}", organisation, function = "Fonction", councilRoles }, 201);
            return ids[subject] = member.MemberId;
        }

        await Register("animateur", "Police municipale");
        await Register("membre-a", "Éducation nationale");
        await Register("referent", "Prévention spécialisée");
        await Register("membre-b", "Bailleur social");
        await Register("sans-signature", "CCAS");
        await Register("retire", "Mission locale");
        await Register("auditeur", "DPO", Roles.Auditeur);
        await Register("president", "Mairie", Roles.President);

        var groupA = (await service.PostJsonAsync<GroupCreated>(coordinator, $"{api}/groups",
            new { name = "GT A (détenteur)", kind = "thematique" }, 201)).GroupId;
        var groupB = (await service.PostJsonAsync<GroupCreated>(coordinator, $"{api}/groups",
            new { name = "GT B (autre)", kind = "territorial", sector = "sud" }, 201)).GroupId;

        async Task Join(Guid group, string suffix, string role) =>
            await service.PostJsonAsync<JsonElement>(coordinator, $"{api}/groups/{group}/members", new { memberId = ids[$"{code}.{suffix}"], role });

        await Join(groupA, "animateur", Roles.Animateur);
        await Join(groupA, "membre-a", Roles.Membre);
        await Join(groupA, "referent", Roles.Membre);
        await Join(groupA, "sans-signature", Roles.Membre);
        await Join(groupA, "retire", Roles.Membre);
        await Join(groupB, "membre-b", Roles.Membre);

        foreach (var suffix in new[] { "coordonnateur", "animateur", "membre-a", "referent", "membre-b", "retire", "auditeur", "president" })
            await service.PostJsonAsync<JsonElement>($"{code}.{suffix}", $"{api}/charter/signatures", new { version = policy.Version });

        var removed = await service.SendAsync(coordinator, HttpMethod.Delete, $"{api}/groups/{groupA}/members/{ids[$"{code}.retire"]}");
        await Answers.ExpectAsync(removed, 200);

        return new TestCouncil { Code = code, GroupA = groupA, GroupB = groupB, Ids = ids };
    }

    /// <summary>Refers a situation in group A (or <paramref name="group"/>) with the given person; its id, pseudonym and version.</summary>
    public async Task<ReferredSituation> ReferAsync(TestService service, TestPerson person, string facts, Guid? group = null)
    {
        var created = await service.PostJsonAsync<SituationCreated>(MemberOfHoldingGroup, $"{Api}/situations", new
        {
            groupId = group ?? GroupA,
            reasons = new[] { "decrochage-scolaire", "errance" },
            sector = "nord",
            urgency = "prioritaire",
            persons = new object[] { person.AsRequest(PersonRoles.Followed), },
            facts,
        }, 201);
        return new ReferredSituation(created.SituationId, created.Pseudonym, created.Version);
    }

    /// <summary>
    /// The id of a partner of the council's directory (organisation + role code from the charter's list), registered by
    /// the coordonnateur on first use: action owners and séance guests can only be chosen from it.
    /// </summary>
    public async Task<Guid> PartnerAsync(TestService service, string organisation = "CCAS", string role = "travailleur-social")
    {
        async Task<Guid?> Listed()
        {
            var directory = await service.GetJsonAsync<PartnerDirectory>(Coordonnateur, $"{Api}/partners");
            return directory.Partners.FirstOrDefault(p => p.Organisation == organisation && p.Role == role)?.PartnerId;
        }
        if (await Listed() is { } listed) return listed;
        var registered = await service.PostAsync(Coordonnateur, $"{Api}/partners", new { organisation, role });
        if (registered.IsSuccessStatusCode)
            return (await registered.Content.ReadFromJsonAsync<PartnerListed>(Json.Options))!.PartnerId;
        // Registered meanwhile by another test of the same council.
        return await Listed() ?? throw new InvalidOperationException($"Partner not registered: {(int)registered.StatusCode}");
    }

    public async Task<long> VersionOfAsync(TestService service, Guid situationId) =>
        (await service.GetJsonAsync<Versioned>(Coordonnateur, $"{Api}/situations/{situationId}")).Version;
}

/// <summary>A fictitious person with distinctive values, so that any leak is easy to find in a dump, a log or a CR.</summary>
public sealed record TestPerson(string Nom, string Prenom, DateOnly DateNaissance, string Adresse, string Telephone, string Courriel)
{
    public static TestPerson Distinctive(string tag) => new(
        // Always 16 years and 100 days old, so that her age band (16-17) does not drift with the calendar.
        $"Zorglubovitch{tag}", $"Philomène{tag}", DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-16).AddDays(-100), $"17 impasse des Quetzals{tag}",
        "06 12 34 56 78", $"philomene.{tag.ToLowerInvariant()}@exemple.test");

    public object AsRequest(string role) => new
    {
        role, nom = Nom, prenom = Prenom, sexe = "F", dateNaissance = DateNaissance, adresse = Adresse, telephone = Telephone,
        courriel = Courriel, situationScolaireOuProfessionnelle = "Collège Fictif, classe de 3e", representantsLegaux = "Mère : Mme Zorglubovitch",
    };

    /// <summary>Every identity value as it could appear in clear somewhere it must not.</summary>
    public IEnumerable<string> Leakables() =>
        [Nom, Prenom, Adresse, Courriel, Telephone, DateNaissance.ToString("yyyy-MM-dd"), DateNaissance.ToString("dd/MM/yyyy"), "Collège Fictif"];
}
