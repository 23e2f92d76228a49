using System.Diagnostics;
using CaseExchange.Protection;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web;

/// <summary>Refusals are French pages that explain the charter's rule, never a stack trace; the pages meet the RGAA basics.</summary>
public sealed class RefusalAndAccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task A_member_who_has_not_signed_the_charter_is_refused_the_file_with_the_rule_and_a_way_to_sign()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var situation = await fixture.Steps.ReferredAsync();
        var page = await fixture.SignInAsync(Council.UnsignedMember);
        // Need to know: before signing, not even the anonymised page of the situation.
        var response = await page.GotoAsync($"/c/{Council.Code}/situations/{situation}");
        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
        await Expect(page.Locator("main")).ToContainTextAsync("Vous n'avez pas signé la version en vigueur de la charte déontologique");
        await Expect(page.Locator("main")).ToContainTextAsync("Charte, article 11");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Lire et signer la charte en vigueur" })).ToHaveAttributeAsync("href", $"/c/{Council.Code}/charte");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());
        await Accessibility.AssertNoTechnicalDetailAsync(page);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "refus");
        Console.WriteLine($"[browser] refusal (unsigned member): {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_member_of_another_group_is_not_offered_the_file_and_a_forged_request_is_refused_in_French()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var situation = await fixture.Steps.ReferredAsync();
        var page = await fixture.SignInAsync(Council.MemberOfOtherGroup);
        // Need to know: another group's situation is as unknown as one that does not exist, even anonymised.
        var notFound = await page.GotoAsync($"/c/{Council.Code}/situations/{situation}");
        Assert.Equal(404, notFound!.Status);
        await Expect(page.Locator("main")).ToContainTextAsync("Situation introuvable dans ce conseil.");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).CountAsync());

        // The request the form would send, built by hand from the council's home (with the session's antiforgery token).
        await page.GotoAsync($"/c/{Council.Code}");
        var response = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync($$"""
            () => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = '/c/{{Council.Code}}/situations/{{situation}}';
              const token = document.querySelector('input[name=__RequestVerificationToken]').value;
              for (const [name, value] of [['Input.Purpose', 'suivi'], ['__RequestVerificationToken', token]]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
              }
              document.body.appendChild(form);
              form.submit();
            }
            """), r => r.Request.Method == "POST");
        Assert.Equal(403, response.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
        await Expect(page.Locator("main")).ToContainTextAsync("Seuls les membres du groupe de travail qui détient cette situation peuvent en consulter le dossier nominatif.");
        await Expect(page.Locator("main")).ToContainTextAsync("Charte, article 7");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());
        await Accessibility.AssertNoTechnicalDetailAsync(page);
        await Accessibility.AssertAsync(page);
    }

    [Fact]
    public async Task A_file_whose_key_was_destroyed_is_a_French_page_saying_the_data_is_erased()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var situation = await fixture.Steps.ReferredAsync();
        await using (var session = fixture.Service.Store.LightweightSession(Council.Code))
        {
            fixture.Service.Services.GetRequiredService<SituationKeys>().Destroy(session, situation);
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var page = await fixture.SignInAsync(Council.MemberOfHoldingGroup);
        await page.GotoAsync($"/c/{Council.Code}/situations/{situation}");
        await page.GetByLabel("Motif de la consultation").SelectOptionAsync("suivi");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(410, response.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Données nominatives effacées");
        await Expect(page.Locator("main")).ToContainTextAsync("seule la vue anonymisée subsiste");
        await Accessibility.AssertNoTechnicalDetailAsync(page);
    }

    [Fact]
    public async Task A_closed_situations_file_opens_only_with_an_archive_reason_and_a_written_justification()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var situation = await fixture.Steps.ClosedAsync();
        var page = await fixture.SignInAsync(Council.MemberOfHoldingGroup);
        await page.GotoAsync($"/c/{Council.Code}/situations/{situation}");
        await page.GetByLabel("Motif de la consultation").SelectOptionAsync("suivi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Le motif d'accès à l'archive doit être choisi dans la liste.");
        await Expect(summary).ToContainTextAsync("La justification écrite est obligatoire.");
        await Accessibility.AssertAsync(page);

        await page.GetByLabel("Motif d'accès à l'archive").SelectOptionAsync(new SelectOptionValue { Label = "Exercice des droits de la personne concernée" });
        await page.GetByLabel("Justification écrite").FillAsync("Demande d'accès de la personne, courrier du 2 mars (fictif).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Dossier nominatif");
        await Expect(page.Locator("main")).ToContainTextAsync("Clôture");
    }

    [Fact]
    public async Task A_follow_up_recorded_on_a_stale_page_comes_back_with_its_form_and_changes_nothing()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var (situation, _) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var first = await fixture.SignInAsync(Council.Referent);
        var second = await first.Context.NewPageAsync();
        var form = $"/c/{Council.Code}/suivis/{situation}";
        await first.GotoAsync(form);
        await second.GotoAsync(form);

        foreach (var (page, note) in new[] { (second, "Premier point (fictif)."), (first, "Point saisi sur une page périmée (fictif).") })
        {
            await page.GetByLabel("État de l'action").SelectOptionAsync("en-cours");
            await page.GetByLabel("Note de suivi").FillAsync(note);
        }
        await second.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }).ClickAsync();
        await Expect(second.Locator("[role=status]")).ToContainTextAsync("Point de suivi enregistré");
        var before = await fixture.Service.EventCountAsync();

        var response = await first.RunAndWaitForResponseAsync(
            () => first.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(409, response.Status);
        // The same form comes back (409), with the note typed and the reason in its alert.
        await Expect(first.Locator("[role=alert]")).ToContainTextAsync("Modification concurrente ; rien n'a été enregistré");
        await Expect(first.GetByLabel("Note de suivi")).ToHaveValueAsync("Point saisi sur une page périmée (fictif).");
        await Expect(first.GetByRole(AriaRole.Link, new() { Name = "Recharger la page pour voir la version actuelle" })).ToHaveAttributeAsync("href", form);
        await Accessibility.AssertAsync(first);
        await Accessibility.AssertNoTechnicalDetailAsync(first);
        Assert.Equal(before, await fixture.Service.EventCountAsync());
    }

    [Fact]
    public async Task A_member_on_a_coordination_page_or_an_unknown_page_gets_a_French_page()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var page = await fixture.SignInAsync(Council.MemberOfHoldingGroup);
        var forbidden = await page.GotoAsync($"/c/{Council.Code}/groupes");
        Assert.Equal(403, forbidden!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
        await Expect(page.Locator("main")).ToContainTextAsync("Votre rôle ne permet pas cette action selon la charte.");
        await Accessibility.AssertNoTechnicalDetailAsync(page);
        await Accessibility.AssertAsync(page);

        var missing = await page.GotoAsync($"/c/{Council.Code}/nulle-part");
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page introuvable");
        await Accessibility.AssertNoTechnicalDetailAsync(page);

        var otherCouncil = await page.GotoAsync("/c/un-autre-conseil/situations");
        Assert.Equal(403, otherCouncil!.Status);
        await Expect(page.Locator("main")).ToContainTextAsync("Vous n'êtes pas membre actif de ce conseil.");
    }

    [Fact]
    public async Task Every_page_is_in_French_with_one_h1_labelled_fields_and_a_skip_link_reached_first_by_keyboard()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var situation = await fixture.Steps.ReferredAsync();
        var pages = new Dictionary<string, string[]>
        {
            [Council.Coordonnateur] = ["", "/charte", "/situations", $"/situations/{situation}", "/suivis", "/groupes", $"/groupes/{Council.GroupA}", "/membres"],
            [Council.MemberOfHoldingGroup] = ["", "/situations", "/situations/nouvelle", $"/situations/{situation}", "/suivis"],
        };
        foreach (var (subject, paths) in pages)
        {
            var page = await fixture.SignInAsync(subject);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync($"/c/{Council.Code}{path}");
                Assert.True(response!.Ok, $"{subject} {path}: {response.Status}");
                await Accessibility.AssertAsync(page);
            }
            // Keyboard: the first Tab reaches the skip link, which takes the focus to the main content.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("contenu", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        }

        var anonymous = await (await fixture.SignInAsync(Council.Auditeur)).Context.Browser!.NewPageAsync(new()
        {
            BaseURL = fixture.Service.BaseAddress.ToString().TrimEnd('/'), IgnoreHTTPSErrors = true,
        });
        await anonymous.GotoAsync("/connexion");
        await Accessibility.AssertAsync(anonymous);
        await anonymous.GotoAsync("/erreur/404");
        await Accessibility.AssertAsync(anonymous);
    }
}
