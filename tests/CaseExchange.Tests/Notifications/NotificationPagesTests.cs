using System.Net;
using System.Text.Json;
using CaseExchange.Notifications;
using CaseExchange.Notifications.Preferences;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Notifications;

public sealed class NotificationPagesFixture : CouncilFixture
{
    // Starts at the real time (tokens are checked against it) and moves only when a test moves it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(5) };

    protected override FakeTimeProvider? Clock => _clock;
    protected override string Code => "rappels";
}

/// <summary>The preferences page, and the reminder of overdue actions on every page (count and link, no name).</summary>
public sealed class NotificationPagesTests(NotificationPagesFixture fixture) : IClassFixture<NotificationPagesFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task The_preferences_page_saves_the_members_own_address_and_the_kinds_left_on()
    {
        using var member = await Service.PageClientAsync(Council.MemberOfOtherGroup);
        var url = $"/c/{Council.Code}/preferences";
        var html = await member.GetStringAsync(url);
        Assert.All(NotificationKinds.All, kind => Assert.Contains($"id=\"notification-{kind}\"", html));
        var token = await Pages.AntiforgeryTokenAsync(member, url);
        var saved = await member.PostAsync(url, new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token), new("Input.Email", "membre.b@mail.test"),
            new("Input.Enabled", NotificationKinds.AgendaPublished), new("Input.Enabled", NotificationKinds.ActionAssigned),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var mine = await Service.GetJsonAsync<JsonElement>(Council.MemberOfOtherGroup, $"{Council.Api}/me/notifications");
        Assert.Equal("membre.b@mail.test", mine.GetProperty("email").GetString());
        var enabled = mine.GetProperty("kinds").EnumerateArray().Where(k => k.GetProperty("enabled").GetBoolean()).Select(k => k.GetProperty("kind").GetString());
        Assert.Equal([NotificationKinds.AgendaPublished, NotificationKinds.ActionAssigned], enabled);

        // Nobody else sees it: another member's settings are their own (empty).
        var others = await Service.GetJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/me/notifications");
        Assert.Equal(JsonValueKind.Null, others.GetProperty("email").ValueKind);

        var token2 = await Pages.AntiforgeryTokenAsync(member, url);
        var refused = await member.PostAsync(url, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token2), new("Input.Email", "pas une adresse")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Indiquez une adresse électronique valide", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_page_reminds_the_referent_of_overdue_actions_with_a_count_and_a_link_only()
    {
        var followed = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var pseudonym = (await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{followed.Situation}"))
            .GetProperty("pseudonym").GetString()!;
        using (var before = await Service.PageClientAsync(Council.Referent))
            Assert.DoesNotContain("dépassé son échéance", await before.GetStringAsync($"/c/{Council.Code}"));

        Service.Clock!.Advance(TimeSpan.FromDays(32));
        using var referent = await Service.PageClientAsync(Council.Referent);
        var html = await referent.GetStringAsync($"/c/{Council.Code}/charte");
        var start = html.IndexOf("Une action de vos suivis a dépassé son échéance.", StringComparison.Ordinal);
        Assert.True(start >= 0, "No reminder on the page.");
        var reminder = html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
        Assert.Contains($"href=\"/c/{Council.Code}/suivis\"", reminder);
        Assert.DoesNotContain(pseudonym, reminder);

        using var other = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        Assert.DoesNotContain("dépassé", await other.GetStringAsync($"/c/{Council.Code}"));
    }

    [Fact]
    public void The_count_takes_only_running_actions_past_their_day_in_the_members_own_follow_ups()
    {
        var me = Guid.NewGuid();
        var today = new DateOnly(2027, 3, 10);
        ActionState Action(int days, string status = "en-cours") => new(Guid.NewGuid(), "contact-famille", "CCAS", "travailleur-social", today.AddDays(days), status);
        var mine = new Situation { ReferentId = me, Actions = [Action(-1), Action(-5), Action(0), Action(3), Action(-2, "realisee")] };
        var closed = new Situation { ReferentId = me, ClosedAt = DateTimeOffset.UtcNow, Actions = [Action(-1)] };
        var someoneElses = new Situation { ReferentId = Guid.NewGuid(), Actions = [Action(-1)] };
        Assert.Equal(2, OverdueReminder.Count([mine, closed, someoneElses], me, today));
        Assert.Equal("2 actions de vos suivis ont dépassé leur échéance.", OverdueReminder.Sentence(2));
    }

    [Fact]
    public void The_preferences_check_refuses_a_malformed_address_and_unknown_kinds_and_requires_the_list()
    {
        Assert.False(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences(null, [])).Any);
        Assert.False(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences("a.b@c.fr", [NotificationKinds.DueDateReached])).Any);
        Assert.True(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences("a b@c.fr", [])).Any);
        Assert.True(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences("Nom <a@c.fr>", [])).Any);
        Assert.True(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences(null, ["inconnu"])).Any);
        Assert.True(NotificationPreferencesUseCase.Check(new ChangeNotificationPreferences(null, null)).Any);
    }

    [Fact]
    public void Each_kind_of_mail_is_fixed_text_around_the_reference_and_the_links()
    {
        foreach (var kind in NotificationKinds.All)
        {
            var (subject, body) = MailContent.Compose(kind, "S-2027-0001", "https://x.test/c/demo/suivis", "https://x.test/c/demo/preferences");
            Assert.StartsWith("[CaseExchange] ", subject);
            Assert.Contains("S-2027-0001", subject);
            Assert.Contains("https://x.test/c/demo/suivis", body);
            Assert.Contains(MailContent.Footer, body);
        }
    }
}
