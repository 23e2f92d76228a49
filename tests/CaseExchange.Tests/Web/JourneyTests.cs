using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web;

/// <summary>
/// The journeys of the issue, end to end in a real browser against the real service and PostgreSQL. Each one saves a
/// screenshot under artifacts/screenshots/; the README shows them.
/// </summary>
public sealed class JourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Membre_signs_the_charter_logs_a_situation_finds_it_anonymised_and_opens_its_file_with_a_purpose()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(BrowserFixture.NewMember);

        // Not signed yet: every page says so and leads to the charter.
        await Expect(page.Locator("main")).ToContainTextAsync("Vous n'avez pas signé la charte déontologique en vigueur");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Lire et signer la charte" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Charte déontologique et règlement intérieur");
        await Expect(page.Locator("article.charter-text")).ToContainTextAsync("Article 11 — Signature préalable de la charte");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("J'ai lu la charte déontologique").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signer la charte" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Vous avez signé la charte, version");

        // The referral form: first sent empty, the errors come back in French, listed at the top and by each field.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Signaler une situation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Signaler une situation");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Cochez au moins un motif de signalement.");
        await Expect(summary).ToContainTextAsync("Indiquez au moins une personne concernée.");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Le résumé des faits est obligatoire." })).ToHaveAttributeAsync("href", "#Input_Facts");
        await Expect(page.Locator("#Input_Facts")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre-formulaire-erreurs");

        // One more person block, without JavaScript: the form comes back with a fourth block and no error.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une personne" }).ClickAsync();
        await Expect(page.Locator("legend", new() { HasText = "Personne 4" })).ToBeVisibleAsync();
        await Expect(page.Locator(".error-summary")).ToHaveCountAsync(0);

        await page.GetByLabel("Décrochage ou absentéisme scolaire").CheckAsync();
        await page.GetByLabel("Errance, présence prolongée sur l'espace public").CheckAsync();
        await page.GetByLabel("Secteur", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Quartier nord" });
        await page.GetByLabel("Prioritaire").CheckAsync();
        await page.Locator("#Input_Persons_0__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_0__Prenom").FillAsync("Philomène");
        await page.Locator("#Input_Persons_0__DateNaissance").FillAsync("2011-05-14");
        await page.Locator("#Input_Persons_0__Sexe").SelectOptionAsync("F");
        await page.Locator("#Input_Persons_0__Adresse").FillAsync("17 impasse des Quetzals");
        await page.Locator("#Input_Persons_1__Role").SelectOptionAsync("representant-legal");
        await page.Locator("#Input_Persons_1__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_1__Prenom").FillAsync("Anselme");
        await page.Locator("#Input_Persons_1__DateNaissance").FillAsync("1980-02-29");
        await page.GetByLabel("Faits").FillAsync("Absences répétées depuis la rentrée, signalées par le collège (faits fictifs Navigateur).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();

        var notice = page.Locator("[role=status]");
        await Expect(notice).ToContainTextAsync("est enregistrée");
        var pseudonym = Regex.Match(await notice.InnerTextAsync(), @"S-\d{4}-\d{4}").Value;
        Assert.NotEmpty(pseudonym);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Situation {pseudonym}");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());

        // The anonymised list: the pseudonym and coarse attributes, no name.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Situations", Exact = true }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = pseudonym });
        await Expect(row).ToContainTextAsync("Décrochage ou absentéisme scolaire");
        await Expect(row).ToContainTextAsync("13 à 15 ans, 25 ans et plus");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());
        await Accessibility.AssertAsync(page);

        // The full file, after stating a purpose; the answer says the consultation is recorded and is never cached.
        await row.GetByRole(AriaRole.Link, new() { Name = pseudonym }).ClickAsync();
        await Expect(page.Locator("form.panel")).ToContainTextAsync("journal des accès");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Motif de la consultation").SelectOptionAsync(new SelectOptionValue { Label = "Préparation d'une séance du groupe" });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/situations/"));
        Assert.Equal(200, response.Status);
        Assert.Contains("no-store", (await response.AllHeadersAsync())["cache-control"]);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Dossier nominatif — {pseudonym}");
        var recorded = page.Locator("[role=status]");
        await Expect(recorded).ToContainTextAsync("Consultation enregistrée — motif : Préparation d'une séance du groupe");
        await Expect(recorded).ToContainTextAsync(CouncilEndpoints.JournalNotice);
        await Expect(page.Locator("main")).ToContainTextAsync("Philomène Zorglubovitch-Navigateur");
        await Expect(page.Locator("main")).ToContainTextAsync("14 mai 2011");
        await Expect(page.Locator("main")).ToContainTextAsync("faits fictifs Navigateur");
        Assert.DoesNotContain("Zorglubovitch", page.Url);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre");
        Console.WriteLine($"[browser] membre journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Referent_sees_the_follow_ups_with_due_dates_and_overdue_actions_and_records_one()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var (situation, _) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        await AddOverdueActionAsync(situation);
        var pseudonym = (await fixture.Service.GetJsonAsync<System.Text.Json.JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}"))
            .GetProperty("pseudonym").GetString()!;

        var page = await fixture.SignInAsync(Council.Referent);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mes suivis" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes suivis");
        var followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp).ToContainTextAsync("Prise de contact avec la famille");
        await Expect(followUp).ToContainTextAsync(Display(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30))));
        var overdue = followUp.Locator("tr.row--overdue");
        await Expect(overdue).ToContainTextAsync("Point de situation au groupe");
        await Expect(overdue).ToContainTextAsync("En retard");
        await Expect(page.Locator("main")).ToContainTextAsync("1 action a dépassé son échéance.");
        await Accessibility.AssertAsync(page);

        await followUp.GetByRole(AriaRole.Link, new() { Name = "Enregistrer un point de suivi" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Enregistrer un point de suivi — {pseudonym}");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Prise de contact avec la famille").CheckAsync();
        await page.GetByLabel("État de l'action").SelectOptionAsync(new SelectOptionValue { Label = "Réalisée" });
        await page.GetByLabel("Note de suivi").FillAsync("Famille rencontrée au CCAS le 3 mars (fictif).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }).ClickAsync();

        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Point de suivi enregistré pour {pseudonym}");
        followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp.Locator("tr", new() { HasText = "Prise de contact avec la famille" })).ToContainTextAsync("Réalisée");
        await Expect(followUp.Locator("tr.row--overdue")).ToContainTextAsync("En retard");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "referent");
        Console.WriteLine($"[browser] référent journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Coordonnateur_creates_a_group_adds_a_member_with_a_role_and_registers_a_member()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(Council.Coordonnateur);

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Membres" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Membres du conseil");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom et prénom").FillAsync("Yvonne Médiatrice");
        await page.GetByLabel("Organisation").FillAsync("Association de médiation");
        await page.GetByLabel("Fonction").FillAsync("Médiatrice sociale");
        await page.GetByLabel("Identifiant de connexion").FillAsync("web.mediatrice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le membre" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Yvonne Médiatrice est inscrit(e)");
        await Expect(page.Locator("tbody tr", new() { HasText = "Yvonne Médiatrice" })).ToContainTextAsync("Non signée");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Groupes de travail" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Groupes de travail");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom du groupe").FillAsync("GT Tranquillité publique");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Territorial" }).CheckAsync();
        await page.GetByLabel("Secteur (groupe territorial seulement)").SelectOptionAsync(new SelectOptionValue { Label = "Quartier sud" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le groupe « GT Tranquillité publique » est créé");
        await Expect(page.Locator("h1")).ToHaveTextAsync("GT Tranquillité publique");

        await page.GetByLabel("Membre du conseil").SelectOptionAsync(new SelectOptionValue { Label = "Yvonne Médiatrice — Association de médiation, Médiatrice sociale" });
        await page.GetByLabel("Rôle dans le groupe").SelectOptionAsync(new SelectOptionValue { Label = "Animateur du groupe" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Yvonne Médiatrice a rejoint le groupe.");
        await page.GetByLabel("Membre du conseil").SelectOptionAsync(new SelectOptionValue { Label = "Membre membre-a — Éducation nationale, Fonction" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au groupe" }).ClickAsync();
        var members = page.Locator("main table tbody");
        await Expect(members.Locator("tr", new() { HasText = "Yvonne Médiatrice" }).Locator("select")).ToHaveValueAsync("animateur");
        await Expect(members.Locator("tr", new() { HasText = "Membre membre-a" }).Locator("select")).ToHaveValueAsync("membre");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur");

        // Roles change and members leave; then the session ends.
        var row = members.Locator("tr", new() { HasText = "Membre membre-a" });
        await row.GetByLabel("Rôle de Membre membre-a").SelectOptionAsync("animateur");
        await row.GetByRole(AriaRole.Button, new() { Name = "Changer le rôle de Membre membre-a" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le rôle de Membre membre-a est maintenant « Animateur du groupe »");
        await members.Locator("tr", new() { HasText = "Yvonne Médiatrice" }).GetByRole(AriaRole.Button, new() { Name = "Retirer Yvonne Médiatrice du groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le membre a quitté le groupe");
        await Expect(members.Locator("tr", new() { HasText = "Yvonne Médiatrice" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Vous êtes déconnecté(e).");
        var afterSignOut = await page.GotoAsync($"/c/{Council.Code}/groupes");
        Assert.Contains("/connexion", afterSignOut!.Url);
        Console.WriteLine($"[browser] coordonnateur journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Time has passed: an action whose due date is behind us (the use case refuses past dates when assigning).</summary>
    private async Task AddOverdueActionAsync(Guid situationId)
    {
        var keys = fixture.Service.Services.GetRequiredService<SituationKeys>();
        await using var session = fixture.Service.Store.LightweightSession(Council.Code);
        var cipher = await keys.OpenAsync(session, situationId);
        var now = DateTimeOffset.UtcNow;
        // Through FetchForWriting, like the use cases, so that the snapshot's version follows the stream's.
        var stream = await session.Events.FetchForWriting<Situation>(situationId);
        stream.AppendOne(new FollowUpAssigned(situationId, Council.Id(Council.Referent),
            [new PlannedAction(Guid.CreateVersion7(), "point-situation", "Prévention spécialisée", "Éducateur",
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3), cipher.Seal(SealedFields.ActionDescription, "Point fictif en retard"))],
            Council.Id(Council.Coordonnateur), now));
        await session.SaveChangesAsync();
    }

    private static string Display(DateOnly date) => CaseExchange.Web.Display.Date(date);
}
