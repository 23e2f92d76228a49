using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// RGAA 4.1 (thème 12, navigation; 10.7, focus visible): a member who uses the keyboard alone signs in, finds the
/// situation they follow and records a follow-up. No click: Tab and Shift+Tab move, Enter follows a link or submits,
/// Space ticks, the arrows choose in a list. At every stop the focused element must show a visible focus.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    /// <summary>Tab stops tried before a control is declared unreachable (the longest page here has fewer).</summary>
    private const int MaxStops = 80;

    [Fact]
    public async Task A_member_signs_in_finds_a_situation_and_records_a_follow_up_with_the_keyboard_alone()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var (situation, _) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var pseudonym = (await fixture.Service.GetJsonAsync<System.Text.Json.JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}"))
            .GetProperty("pseudonym").GetString()!;
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/connexion");

        // The first Tab lands on the skip link, which takes the focus to the content.
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusedAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Aller au contenu" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main#contenu")).ToBeFocusedAsync();

        await TabToAsync(page, page.GetByLabel("Identifiant du membre"));
        await page.Keyboard.TypeAsync(Council.Referent);
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }));
        // Shift+Tab goes back to the field, Tab forward again: the order follows the form.
        await page.Keyboard.PressAsync("Shift+Tab");
        await ExpectFocusedAsync(page, page.GetByLabel("Identifiant du membre"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        // The skip link's #contenu stays in the address through the sign-in's redirects.
        await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(Council.Code)}(#contenu)?$"));

        // The menu is above the content where the skip link left the reading point: back up with Shift+Tab.
        await TabToAsync(page, page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mes suivis" }), backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes suivis");

        var followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await TabToAsync(page, followUp.GetByRole(AriaRole.Link, new() { Name = "Enregistrer un point de suivi" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Enregistrer un point de suivi — {pseudonym}");

        var action = page.GetByLabel(new Regex("^Prise de contact avec la famille"));
        await TabToAsync(page, action);
        await page.Keyboard.PressAsync("Space");
        await Expect(action).ToBeCheckedAsync();
        var status = page.GetByLabel("État de l'action");
        await TabToAsync(page, status);
        for (var i = 0; i < 10 && await status.EvaluateAsync<string>("s => s.options[s.selectedIndex].text") != "Réalisée"; i++)
            await page.Keyboard.PressAsync("ArrowDown");
        await Expect(status).ToHaveValueAsync(new Regex(".+"));
        Assert.Equal("Réalisée", await status.EvaluateAsync<string>("s => s.options[s.selectedIndex].text"));
        await TabToAsync(page, page.GetByLabel("Note de suivi"));
        await page.Keyboard.TypeAsync("Famille rencontrée, point fait au clavier (fictif).");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Point de suivi enregistré pour {pseudonym}");
        followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp.Locator("tr", new() { HasText = "Prise de contact avec la famille" })).ToContainTextAsync("Réalisée");
        await Accessibility.AssertAsync(page);
        Console.WriteLine($"[browser] keyboard journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until <paramref name="target"/> has the focus; every stop on the way must show its focus.
    /// Going past the last (or first) control leaves the page for the browser's own controls once, then comes back.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        var path = new List<string>();
        var outside = 0;
        for (var stop = 0; stop < MaxStops; stop++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var (focused, description) = await FocusAsync(page);
            path.Add(description);
            if (description == Outside && ++outside <= 1) continue;
            Assert.True(focused, $"{page.Url}: no visible focus on {description}");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
        }
        Assert.Fail($"{page.Url}: {target} not reached in {MaxStops} Tab stops; the focus went through:\n{string.Join("\n", path)}");
    }

    private static async Task ExpectFocusedAsync(IPage page, ILocator target)
    {
        await Expect(target).ToBeFocusedAsync();
        var (visible, description) = await FocusAsync(page);
        Assert.True(visible, $"{page.Url}: no visible focus on {description}");
    }

    private const string Outside = "nothing (body)";

    /// <summary>Whether the focused element shows it (an outline or a ring drawn by :focus-visible), and what it is.</summary>
    private static async Task<(bool Visible, string Description)> FocusAsync(IPage page)
    {
        var answer = await page.EvaluateAsync<string[]>("""
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return ['false', 'nothing (body)'];
              const s = getComputedStyle(e);
              const box = e.getBoundingClientRect();
              const visible = e.matches(':focus-visible') && box.width > 0 && box.height > 0
                && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
              return [String(visible), e.outerHTML.slice(0, 120)];
            }
            """);
        return (answer[0] == "true", answer[1]);
    }
}
