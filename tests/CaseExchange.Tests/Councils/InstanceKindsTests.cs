using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Groups;
using CaseExchange.Journal.AdministrativeActs;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class InstanceKindsFixture : CouncilFixture;

/// <summary>
/// Instance kinds (charter, <c>instanceKinds</c>): a closed list, each with its chair (the group's animateur) and its rules —
/// whether it holds nominative situations, whether it names a sector, the minimum notice of its séances.
/// </summary>
public sealed class InstanceKindsTests(InstanceKindsFixture fixture) : IClassFixture<InstanceKindsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void The_charter_lists_four_kinds_and_a_group_of_an_unlisted_kind_keeps_the_working_groups_rules()
    {
        Assert.Equal(["thematique", "territorial", "cellule-de-veille", "operationnel"], Policy.InstanceKinds.Select(k => k.Code));
        Assert.Equal("Cellule de veille", Policy.KindOf(GroupKinds.CelluleDeVeille).Label);
        Assert.False(Policy.KindOf(GroupKinds.CelluleDeVeille).Nominative);
        // A group recorded before the list (or with a kind since removed) still loads and keeps the nominative rules.
        var old = new Group();
        old.Apply(new CaseExchange.Councils.GroupCreated(Guid.NewGuid(), "GT ancien", "", null, Coordinator, Now));
        Assert.True(Policy.KindOf(old.Kind).Nominative);
        Assert.Equal(0, Policy.KindOf(old.Kind).MinimumNoticeDays);
    }

    [Fact]
    public void Each_kind_applies_its_own_sector_rule()
    {
        var council = ACouncil();
        var kinds = Policy.InstanceKinds;
        Assert.Empty(Fields(CreateGroupUseCase.Check(new CreateGroup("Cellule", GroupKinds.CelluleDeVeille, null), council, false, kinds)));
        Assert.Empty(Fields(CreateGroupUseCase.Check(new CreateGroup("Cellule nord", GroupKinds.CelluleDeVeille, "nord"), council, false, kinds)));
        Assert.Equal(["sector"], Fields(CreateGroupUseCase.Check(new CreateGroup("Cellule", GroupKinds.CelluleDeVeille, "ouest"), council, false, kinds)).Keys);
        Assert.Equal(["kind"], Fields(CreateGroupUseCase.Check(new CreateGroup("X", "groupe-secret", null), council, false, kinds)).Keys);
    }

    [Fact]
    public async Task An_unknown_kind_is_a_400_and_nothing_is_written()
    {
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups",
            new { name = $"Instance {Guid.NewGuid():N}", kind = "comite-secret" }), 400);
        Assert.Contains("cellule-de-veille", problem.GetProperty("errors").GetProperty("kind")[0].GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_referral_or_a_transfer_to_a_cellule_de_veille_is_a_409_that_says_why_and_writes_nothing()
    {
        var cellule = await CreateAsync(GroupKinds.CelluleDeVeille);
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{cellule}/members",
            new { memberId = Council.Id(Council.MemberOfHoldingGroup), role = "membre" });

        var before = await Service.EventCountAsync();
        var referral = await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/situations", new
        {
            groupId = cellule, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
            persons = new object[] { TestPerson.Distinctive("veille").AsRequest(PersonRoles.Followed) }, facts = "Faits.",
        }), 409);
        Assert.Contains("n'échange aucune situation nominative", referral.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync());

        var situation = await fixture.Steps.ReferAsync();
        before = await Service.EventCountAsync();
        var transfer = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{situation.Id}/transfer",
            new { toGroupId = cellule, reason = "Relève de la cellule.", expectedVersion = situation.Version }), 409);
        Assert.Contains("Cellule de veille", transfer.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task An_instance_has_one_chair_designated_with_the_animateur_role()
    {
        var group = await CreateAsync(GroupKinds.Operationnel);
        var first = await fixture.Steps.NewMemberAsync();
        var second = await fixture.Steps.NewMemberAsync();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{group}/members", new { memberId = first, role = "animateur" });
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{group}/members", new { memberId = second, role = "membre" });

        var third = await fixture.Steps.NewMemberAsync();
        var before = await Service.EventCountAsync();
        var again = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put,
            $"{Council.Api}/groups/{group}/members/{second}", new { role = "animateur" }), 409);
        Assert.Contains("présidence", again.GetProperty("detail").GetString());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{group}/members",
            new { memberId = third, role = "animateur" }), 409);
        Assert.Equal(before, await Service.EventCountAsync());

        // Once the first chair steps down, the second may take the role; the page names the chair with the kind's title.
        await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/members/{first}", new { role = "membre" });
        var view = await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/members/{second}", new { role = "animateur" });
        await Answers.ExpectAsync(view, 200);
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/c/{Council.Code}/groupes/{group}", Cancel));
        Assert.Contains("<dt>Président ou présidente du groupe</dt><dd>Nouveau membre</dd>", page);
        Assert.Contains("2 jours au moins", page);
    }

    [Fact]
    public async Task An_operational_group_convenes_its_seances_with_the_minimum_notice_of_its_kind()
    {
        var group = await CreateAsync(GroupKinds.Operationnel);
        var before = await Service.EventCountAsync();
        var tooSoon = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{group}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(1) }), 400);
        Assert.Contains("au moins 2 jours", tooSoon.GetProperty("errors").GetProperty("date")[0].GetString());
        Assert.Equal(before, await Service.EventCountAsync());
        await Answers.ExpectAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{group}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(3) }), 201);
        // A thematic group keeps the notice it always had: none.
        await Answers.ExpectAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow.AddHours(2) }), 201);
    }

    [Fact]
    public async Task The_kind_changes_through_the_api_within_its_rules_and_the_change_is_an_administrative_act()
    {
        var group = await CreateAsync(GroupKinds.Thematique);
        var before = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/kind", new { kind = "inconnu" }), 400);
        // Territorial needs a sector; this group has none.
        await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/kind", new { kind = "territorial" }), 400);
        Assert.Equal(before, await Service.EventCountAsync());

        var changed = await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/groups/{group}/kind", new { kind = "cellule-de-veille" });
        await Answers.ExpectAsync(changed, 200);
        var view = await Service.GetJsonAsync<GroupView>(Council.Coordonnateur, $"{Council.Api}/groups/{group}");
        Assert.Equal(GroupKinds.CelluleDeVeille, view.Kind);
        await Answers.ProblemAsync(await Service.SendAsync(Council.MemberOfHoldingGroup, HttpMethod.Put,
            $"{Council.Api}/groups/{group}/kind", new { kind = "thematique" }), 403);

        // A group that holds an open situation cannot become an instance without nominative situations.
        await fixture.Steps.ReferAsync();
        before = await Service.EventCountAsync();
        var holding = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put,
            $"{Council.Api}/groups/{Council.GroupA}/kind", new { kind = "cellule-de-veille" }), 409);
        Assert.Contains("situation(s) en cours", holding.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.EventCountAsync());

        var acts = await Service.GetJsonAsync<AdministrativeActsPage>(Council.Auditeur, $"{Council.Api}/journal/administrative-acts?pageSize=500");
        Assert.Contains(acts.Items, a => a.Act == "Type d'instance changé" && a.Detail.EndsWith("— cellule de veille", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_groups_page_creates_an_instance_from_the_kind_drop_down_and_refuses_an_unknown_kind()
    {
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/groupes";
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(url, Cancel));
        Assert.Contains("<option value=\"cellule-de-veille\">Cellule de veille (sans situation nominative)</option>", html);

        var before = await Service.EventCountAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
            ["Input.Name"] = $"Cellule {Guid.NewGuid():N}"[..30],
            ["Input.Kind"] = "comite-secret",
            ["Input.Sector"] = "",
        };
        var refused = await client.PostAsync(url, new FormUrlEncodedContent(fields), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, await Service.EventCountAsync());

        fields["Input.Kind"] = "cellule-de-veille";
        var created = await client.PostAsync(url, new FormUrlEncodedContent(fields), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(created.Headers.Location!.ToString(), Cancel));
        Assert.Contains("<dt>Type d'instance</dt><dd>Cellule de veille</dd>", page);
        Assert.Contains("non : seulement des points non nominatifs de partie générale", page);
    }

    [Fact]
    public async Task An_import_creates_no_situation_in_an_instance_without_nominative_situations()
    {
        var name = $"Cellule {Guid.NewGuid():N}"[..20];
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups", new { name, kind = GroupKinds.CelluleDeVeille }, 201);
        var person = TestPerson.Distinctive($"Import{Guid.NewGuid():N}"[..12]);
        string[] header = ["numéro", "groupe", "motifs", "secteur", "urgence", "nom", "prénom", "date de naissance", "rôle", "adresse", "faits", "date du signalement"];
        string[] row = ["", name, "errance", "nord", "normale", person.Nom, person.Prenom, person.DateNaissance.ToString("dd/MM/yyyy"), "", person.Adresse, "Faits.", ""];
        var response = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/imports",
            CaseExchange.Tests.Situations.SheetFiles.Upload(CaseExchange.Tests.Situations.SheetFiles.Csv([header, row]), "t.csv"));
        await Answers.ExpectAsync(response, 200);
        var report = await response.Content.ReadFromJsonAsync<CaseExchange.Situations.Import.ImportReport>(Json.Options, Cancel);
        Assert.Empty(report!.Imported);
        Assert.Equal(CaseExchange.Situations.Import.ImportRefusals.UnknownGroup, Assert.Single(report.Refused).Reason);
    }

    private async Task<Guid> CreateAsync(string kind) =>
        (await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups",
            new { name = $"Instance {Guid.NewGuid():N}", kind }, 201)).GetProperty("groupId").GetGuid();
}
