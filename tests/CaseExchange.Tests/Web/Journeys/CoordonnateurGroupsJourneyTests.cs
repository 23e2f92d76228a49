using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur: creates a group, adds members with a role, registers a member, signs out.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CoordonnateurGroupsJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

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
        await page.GetByLabel("Type d'instance", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Groupe territorial" });
        await page.GetByLabel("Secteur (").SelectOptionAsync(new SelectOptionValue { Label = "Quartier sud" });
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
        await Screenshots.SaveAsync(page, "coordonnateur-groupes");

        // Roles change and members leave: an instance has one chair, so the chair leaves before another takes it.
        var row = members.Locator("tr", new() { HasText = "Membre membre-a" });
        await row.GetByLabel("Rôle de Membre membre-a").SelectOptionAsync("animateur");
        await row.GetByRole(AriaRole.Button, new() { Name = "Changer le rôle de Membre membre-a" }).ClickAsync();
        // Refused (409): the same page comes back, the reason in the form's alert, the role chosen still shown.
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("Cette instance a déjà sa présidence");
        await Expect(page.Locator("h1")).ToHaveTextAsync("GT Tranquillité publique");
        await Expect(row.GetByLabel("Rôle de Membre membre-a")).ToHaveValueAsync("animateur");
        await Accessibility.AssertAsync(page);
        await members.Locator("tr", new() { HasText = "Yvonne Médiatrice" }).GetByRole(AriaRole.Button, new() { Name = "Retirer Yvonne Médiatrice du groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le membre a quitté le groupe");
        await Expect(members.Locator("tr", new() { HasText = "Yvonne Médiatrice" })).ToHaveCountAsync(0);
        await row.GetByLabel("Rôle de Membre membre-a").SelectOptionAsync("animateur");
        await row.GetByRole(AriaRole.Button, new() { Name = "Changer le rôle de Membre membre-a" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le rôle de Membre membre-a est maintenant « Animateur du groupe »");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Vous êtes déconnecté(e).");
        var afterSignOut = await page.GotoAsync($"/c/{Council.Code}/groupes");
        Assert.Contains("/connexion", afterSignOut!.Url);
        Console.WriteLine($"[browser] coordonnateur journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
