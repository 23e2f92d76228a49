using System.Net;
using CaseExchange.Councils.ToDo;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Councils;

/// <summary>
/// The coordonnateur's "à faire": a council seeded with one case of each kind of line, read today and, through a second
/// service on the same database whose clock stands three years on, when closures reach the end of their archive.
/// </summary>
public sealed class ToDoPageTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private static string Section(string html, string kind)
    {
        var start = html.IndexOf($"<section class=\"todo\" id=\"{kind}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {kind}");
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)]);
    }

    /// <summary>Time has passed: an action whose due date is behind us (the use case refuses past dates).</summary>
    private async Task AddOverdueActionAsync(Guid situationId)
    {
        var keys = Service.Services.GetRequiredService<SituationKeys>();
        await using var session = Service.Store.LightweightSession(Council.Code);
        var cipher = await keys.SealerForAsync(session, situationId);
        var now = DateTimeOffset.UtcNow;
        var stream = await session.Events.FetchForWriting<Situation>(situationId);
        stream.AppendOne(new FollowUpAssigned(situationId, Council.Id(Council.Referent),
            [new PlannedAction(Guid.CreateVersion7(), "point-situation", "Prévention spécialisée", "Éducateur",
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3), cipher.Seal(SealedFields.ActionDescription, "Point fictif en retard"))],
            Council.Id(Council.Coordonnateur), now));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task Each_kind_of_line_appears_with_a_link_to_the_page_that_settles_it_and_pseudonyms_only()
    {
        var seances = new SeanceSteps(Service, Council);
        var person = TestPerson.Distinctive("AFaire");
        var (waiting, waitingPseudonym) = await Council.ReferAsync(Service, person, "Faits fictifs en attente d'examen");
        var followed = await fixture.Steps.FollowedUpAsync(Council.Referent);
        await AddOverdueActionAsync(followed.Situation);
        var closed = await fixture.Steps.ClosedAsync();
        var upcoming = await seances.ScheduleAsync(DateTimeOffset.UtcNow.AddHours(1));
        var held = await seances.ScheduleAsync(DateTimeOffset.UtcNow);
        await Answers.ExpectAsync(await seances.RecordAttendanceAsync(held, [Council.MemberOfHoldingGroup]), 200);
        await Answers.ExpectAsync(await seances.CloseAsync(held), 200);

        using var coordinator = await Service.PageClientAsync(Council.Coordonnateur);
        var html = await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire");
        Assert.DoesNotContain(person.Nom, html);
        Assert.DoesNotContain(person.Prenom, html);
        Assert.Contains($"href=\"/c/{Council.Code}/a-faire\" aria-current=\"page\">À faire</a>", html);

        var next = Section(html, ToDoKinds.NextSeance);
        Assert.Contains($"href=\"/c/{Council.Code}/seances/{upcoming}\"", next);
        Assert.Contains("aujourd'hui", next);
        Assert.Contains(waitingPseudonym, Section(html, ToDoKinds.NotExamined));
        Assert.Contains($"href=\"/c/{Council.Code}/situations/{waiting}\"", Section(html, ToDoKinds.NotExamined));
        var overdue = Section(html, ToDoKinds.OverdueAction);
        Assert.Contains($"href=\"/c/{Council.Code}/situations/{followed.Situation}\"", overdue);
        Assert.Contains("Point de situation au groupe (Prévention spécialisée)", overdue);
        Assert.Contains($"href=\"/c/{Council.Code}/seances/{upcoming}\"", Section(html, ToDoKinds.AgendaNotPublished));
        Assert.Contains($"href=\"/c/{Council.Code}/seances/{held}/compte-rendu\"", Section(html, ToDoKinds.NoCompteRendu));
        var unsigned = Section(html, ToDoKinds.CharterNotSigned);
        Assert.Contains("Membre sans-signature (CCAS)</strong> — n'a pas signé la charte en vigueur", unsigned);
        Assert.Contains("aucun accès nominatif possible d'ici là", unsigned);
        Assert.Contains($"href=\"/c/{Council.Code}/membres\"", unsigned);
        Assert.Contains("Aucune situation ouverte n'est inactive depuis un an.", Section(html, ToDoKinds.Inactive));
        Assert.Contains("Aucun effacement n'est prévu dans les 30 jours.", Section(html, ToDoKinds.ErasureDue));

        // Three years on, less ten days: the closure's archive ends within 30 days; what was referred today is inactive.
        await using var later = await TestService.StartAsync(Service.ConnectionString,
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(3).AddDays(-10)), new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        using var coordinatorLater = await later.PageClientAsync(Council.Coordonnateur);
        var laterHtml = await coordinatorLater.GetStringAsync($"/c/{Council.Code}/a-faire");
        var erasure = Section(laterHtml, ToDoKinds.ErasureDue);
        Assert.Contains($"href=\"/c/{Council.Code}/situations/{closed}\"", erasure);
        Assert.Contains("(fin de l'archive)", erasure);
        var inactive = Section(laterHtml, ToDoKinds.Inactive);
        Assert.Contains(waitingPseudonym, inactive);
        Assert.Contains("proposer la clôture", inactive);
        Assert.Contains("Proposer la clôture", inactive);
        Assert.DoesNotContain(person.Nom, laterHtml);
    }

    [Fact]
    public async Task An_animateur_sees_the_lines_of_their_groups_only()
    {
        var created = await Service.PostJsonAsync<SituationCreated>(Council.MemberOfOtherGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupB, reasons = new[] { "errance" }, sector = "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("AFaireB").AsRequest("personne-suivie") }, facts = "Faits fictifs du groupe B",
        }, 201);
        var (_, inA) = await Council.ReferAsync(Service, TestPerson.Distinctive("AFaireA"), "Faits fictifs du groupe A");

        using var animateur = await Service.PageClientAsync(Council.Animateur);
        var html = WebUtility.HtmlDecode(await animateur.GetStringAsync($"/c/{Council.Code}/a-faire"));
        Assert.Contains("Vos groupes : GT A (détenteur)", html);
        Assert.Contains(inA, Section(html, ToDoKinds.NotExamined));
        Assert.DoesNotContain(created.Pseudonym, html);

        using var coordinator = await Service.PageClientAsync(Council.Coordonnateur);
        Assert.Contains(created.Pseudonym, await coordinator.GetStringAsync($"/c/{Council.Code}/a-faire"));
    }
}
