using System.Globalization;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Notifications;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Notifications;

/// <summary>
/// A service of its own whose notifications go to a real SMTP server (<see cref="SmtpSink"/>), and a council whose members
/// each gave their address (<c>{subject}@mail.test</c>).
/// </summary>
public sealed class NotificationMailFixture : IAsyncLifetime
{
    public SmtpSink? Sink { get; private set; }
    public TestService Service { get; private set; } = null!;
    public TestCouncil Council { get; private set; } = null!;

    public static string AddressOf(string subject) => $"{subject}@mail.test";

    public async ValueTask InitializeAsync()
    {
        if (!SmtpSink.CanRun) return;
        Sink = new SmtpSink();
        await Sink.StartAsync();
        var postgres = await TestPostgres.GetAsync();
        Service = await TestService.StartAsync(await postgres.CreateDatabaseAsync("notifications"), settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = Sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "clspd@mail.test",
            ["Notifications:PublicBaseUrl"] = "https://clspd.test",
            ["Notifications:RetryDelays:0"] = "00:00:01",
            ["Notifications:RetryDelays:1"] = "00:00:02",
            ["Notifications:DueDateSweepInterval"] = "1.00:00:00",
        });
        Council = await TestCouncil.CreateAsync(Service, "notifications");
        foreach (var subject in Council.Ids.Keys)
            await Service.SendAsync(subject, HttpMethod.Put, $"{Council.Api}/me/notifications",
                new { email = AddressOf(subject), disabledKinds = Array.Empty<string>() });
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null) await Service.DisposeAsync();
        if (Sink is not null) await Sink.DisposeAsync();
    }
}

public sealed class NotificationMailTests(NotificationMailFixture fixture) : IClassFixture<NotificationMailFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SmtpSink Sink => fixture.Sink!;

    // Persons of the council with distinctive fictitious identities; every mail is searched for each of their values.
    private static readonly TestPerson Followed = TestPerson.Distinctive("Courrielova");
    private static readonly TestPerson Other = TestPerson.Distinctive("Postmanique");
    private const string Facts = "Faits fictifs concernant Anastasia Bartholoméa Quincampoix";

    private static void RequireSink()
    {
        if (SmtpSink.CanRun) return;
        Assert.False(SmtpSink.MustRun, SmtpSink.SkipReason);
        Assert.Skip(SmtpSink.SkipReason);
    }

    private static Func<ReceivedMail, bool> About(string kindSubject, string reference) =>
        mail => mail.Subject.Contains(kindSubject, StringComparison.Ordinal) && mail.Subject.Contains(reference, StringComparison.Ordinal);

    private static string[] To(IEnumerable<ReceivedMail> mails) => [.. mails.SelectMany(m => m.Recipients).Order()];

    private string[] Addresses(params string[] subjects) => [.. subjects.Select(NotificationMailFixture.AddressOf).Order()];

    [Fact]
    public async Task Each_kind_reaches_the_right_members_only_and_no_mail_names_anyone()
    {
        RequireSink();
        // A new referral: the holding group's members who signed the charter, not the one who referred it, nobody else.
        var referred = await Council.ReferAsync(Service, Followed, Facts);
        var referral = await Sink.WaitForAsync(About("Nouvelle situation signalée", referred.Pseudonym), 2);
        Assert.Equal(Addresses(Council.Animateur, Council.Referent), To(referral));
        Assert.Contains($"https://clspd.test/c/{Council.Code}/situations/{referred.Id}", referral[0].Text);

        // A published ODJ: the group's signed members (the coordonnateur publishes and is not in the group).
        var seance = await new SituationSteps(Service, Council).NewSeanceAsync();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{referred.Id}/agenda",
            new { seanceId = seance, expectedVersion = referred.Version });
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seance}/agenda-publication", new { expectedVersion = 1 });
        var agenda = await Sink.WaitForAsync(m => m.Subject.Contains("Ordre du jour publié") && m.Text.Contains(seance.ToString()), 3);
        Assert.Equal(Addresses(Council.Animateur, Council.MemberOfHoldingGroup, Council.Referent), To(agenda));

        // A follow-up assigned: the référent only; then its action overdue, announced once.
        var other = await Council.ReferAsync(Service, Other, "Faits fictifs sans nom");
        var seance2 = await new SituationSteps(Service, Council).NewSeanceAsync();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{other.Id}/agenda",
            new { seanceId = seance2, expectedVersion = 1 });
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{other.Id}/examinations", new
        {
            seanceId = seance2, discussionSummary = "Échanges fictifs", expectedVersion = 2,
            decisions = new[] { new { kind = "suivi-renforce", detail = "Détail fictif" } },
        });
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{other.Id}/follow-up", new
        {
            referentId = Council.Id(Council.Referent), expectedVersion = 3,
            actions = new[] { new { kind = "contact-famille", ownerPartnerId = await Council.PartnerAsync(Service),
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)), description = "Action fictive" } },
        });
        var assigned = await Sink.WaitForAsync(About("Suivi confié", other.Pseudonym), 1);
        Assert.Equal(Addresses(Council.Referent), To(assigned));

        var reminders = Service.Services.GetRequiredService<DueDateReminders>();
        Assert.Equal(0, await reminders.SweepAsync(DateTimeOffset.UtcNow));
        Assert.Equal(1, await reminders.SweepAsync(DateTimeOffset.UtcNow.AddDays(12)));
        Assert.Equal(0, await reminders.SweepAsync(DateTimeOffset.UtcNow.AddDays(13)));
        var overdue = await Sink.WaitForAsync(About("Échéance dépassée", other.Pseudonym), 1);
        Assert.Equal(Addresses(Council.Referent), To(overdue));

        // Every mail received, whole: no identity value of any person of the council.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var all = Sink.Received();
        Assert.True(all.Count >= 7, $"{all.Count} mails received");
        foreach (var mail in all)
            foreach (var value in IdentityValues(Followed).Concat(IdentityValues(Other)).Concat(["Quincampoix", "Bartholoméa", "Anastasia"]))
                Assert.DoesNotContain(value, mail.Everything, StringComparison.OrdinalIgnoreCase);
        // Nobody outside the holding group, and no unsigned or removed member, ever received anything.
        Assert.DoesNotContain(all.SelectMany(m => m.Recipients), r =>
            r == NotificationMailFixture.AddressOf(Council.MemberOfOtherGroup) || r == NotificationMailFixture.AddressOf(Council.UnsignedMember)
            || r == NotificationMailFixture.AddressOf(Council.RemovedMember) || r == NotificationMailFixture.AddressOf(Council.President));
    }

    [Fact]
    public async Task Turning_a_kind_off_stops_it_for_that_member_only()
    {
        RequireSink();
        await Service.SendAsync(Council.Referent, HttpMethod.Put, $"{Council.Api}/me/notifications",
            new { email = NotificationMailFixture.AddressOf(Council.Referent), disabledKinds = new[] { NotificationKinds.NewReferral } });
        try
        {
            var preferences = await Service.GetJsonAsync<JsonElement>(Council.Referent, $"{Council.Api}/me/notifications");
            Assert.False(preferences.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == NotificationKinds.NewReferral)
                .GetProperty("enabled").GetBoolean());

            var referred = await Council.ReferAsync(Service, TestPerson.Distinctive("Silencieux"), "Faits fictifs");
            var mails = await Sink.WaitForAsync(About("Nouvelle situation signalée", referred.Pseudonym), 1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            mails = Sink.Received().Where(About("Nouvelle situation signalée", referred.Pseudonym)).ToList();
            Assert.Equal(Addresses(Council.Animateur), To(mails));
        }
        finally
        {
            await Service.SendAsync(Council.Referent, HttpMethod.Put, $"{Council.Api}/me/notifications",
                new { email = NotificationMailFixture.AddressOf(Council.Referent), disabledKinds = Array.Empty<string>() });
        }
    }

    [Fact]
    public async Task A_mail_refused_while_the_smtp_server_is_down_arrives_once_it_is_back()
    {
        RequireSink();
        await Sink.StopAsync();
        ReferredSituation referred;
        try
        {
            referred = await Council.ReferAsync(Service, TestPerson.Distinctive("Patience"), "Faits fictifs");
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Empty(Sink.Received().Where(About("Nouvelle situation signalée", referred.Pseudonym)));
        }
        finally
        {
            await Sink.StartAsync();
        }
        var mails = await Sink.WaitForAsync(About("Nouvelle situation signalée", referred.Pseudonym), 2, TimeSpan.FromSeconds(90));
        Assert.Equal(Addresses(Council.Animateur, Council.Referent), To(mails));
    }

    [Fact]
    public async Task The_address_given_at_registration_is_used_and_shown_to_nobody_else()
    {
        RequireSink();
        var subject = $"{Council.Code}.inscrit-avec-adresse";
        var registered = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject, displayName = "Membre avec adresse", organisation = "CCAS", function = "Fonction", councilRoles = Array.Empty<string>(),
                email = "inscrit@mail.test" }, 201);
        Assert.DoesNotContain("inscrit@mail.test", registered.ToString());
        var memberId = registered.GetProperty("memberId").GetGuid();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/members", new { memberId, role = "membre" });
        await Service.PostJsonAsync<JsonElement>(subject, $"{Council.Api}/charter/signatures",
            new { version = Service.Services.GetRequiredService<CharterPolicy>().Version });
        var listed = await Service.GetAsync(Council.Coordonnateur, $"{Council.Api}/members");
        Assert.DoesNotContain("inscrit@mail.test", await listed.Content.ReadAsStringAsync());
        var own = await Service.GetJsonAsync<JsonElement>(subject, $"{Council.Api}/me/notifications");
        Assert.Equal("inscrit@mail.test", own.GetProperty("email").GetString());

        try
        {
            var referred = await Council.ReferAsync(Service, TestPerson.Distinctive("Inscription"), "Faits fictifs");
            var mails = await Sink.WaitForAsync(m => About("Nouvelle situation signalée", referred.Pseudonym)(m) && m.Recipients.Contains("inscrit@mail.test"), 1);
            Assert.Single(mails);
        }
        finally
        {
            // The other tests count group A's recipients exactly.
            await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Delete, $"{Council.Api}/groups/{Council.GroupA}/members/{memberId}"), 200);
        }

        var refused = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject = $"{Council.Code}.adresse-invalide", displayName = "X", organisation = "CCAS", function = "F", councilRoles = Array.Empty<string>(),
                email = "Nom <x@mail.test>" });
        await Answers.ProblemAsync(refused, 400);
    }

    [Fact]
    public async Task A_member_reads_and_changes_only_their_own_settings_and_a_bad_address_is_refused()
    {
        RequireSink();
        var mine = await Service.GetJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/me/notifications");
        Assert.Equal(NotificationMailFixture.AddressOf(Council.Animateur), mine.GetProperty("email").GetString());
        Assert.All(mine.GetProperty("kinds").EnumerateArray(), k => Assert.True(k.GetProperty("enabled").GetBoolean()));

        var before = await Service.EventCountAsync();
        var refused = await Service.SendAsync(Council.Animateur, HttpMethod.Put, $"{Council.Api}/me/notifications",
            new { email = "pas une adresse", disabledKinds = new[] { "inconnu" } });
        var problem = await Answers.ProblemAsync(refused, 400);
        Assert.DoesNotContain("pas une adresse", problem.ToString());
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_convocation_reaches_each_member_of_the_group_who_wants_it_with_the_anonymised_odj_and_no_identity()
    {
        RequireSink();
        var person = TestPerson.Distinctive("Convoquette");
        var steps = new CaseExchange.Tests.Seances.SeanceSteps(Service, Council);
        var date = DateTimeOffset.UtcNow.AddDays(12);
        var seanceId = await steps.ScheduleAsync(date);
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Hôtel de ville, salle des commissions", expectedVersion = 1 }), 200);
        var situation = await Council.ReferAsync(Service, person, $"Faits fictifs concernant {person.Prenom} {person.Nom}, {person.Adresse}.");
        await steps.PlaceAsync(situation.Id, seanceId);

        // One member of the group turned convocations off; the others keep every kind.
        await Service.SendAsync(Council.MemberOfHoldingGroup, HttpMethod.Put, $"{Council.Api}/me/notifications",
            new { email = NotificationMailFixture.AddressOf(Council.MemberOfHoldingGroup), disabledKinds = new[] { NotificationKinds.Convocation } });
        try
        {
            await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations",
                new { expectedVersion = await steps.SeanceVersionAsync(seanceId) }, 201);
            var about = About("Convocation", $"séance du {CaseExchange.Councils.FrenchTime.Day(date)}");
            await Sink.WaitForAsync(m => about(m) && m.Text.Contains(seanceId.ToString()), 2);
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            var mails = Sink.Received().Where(m => about(m) && m.Text.Contains(seanceId.ToString())).ToList();
            // The group's signed members but the one who turned it off; not the coordonnateur (not in the group), nobody else.
            Assert.Equal(Addresses(Council.Animateur, Council.Referent), To(mails));
            foreach (var mail in mails)
            {
                Assert.Contains(situation.Pseudonym, mail.Text);
                Assert.Contains("Hôtel de ville, salle des commissions", mail.Text);
                Assert.Contains(CaseExchange.Councils.FrenchTime.DateAndTime(date), mail.Text);
                Assert.Contains("L. 132-5", mail.Text);
                Assert.Contains($"https://clspd.test/c/{Council.Code}/seances/{seanceId}", mail.Text);
                foreach (var value in IdentityValues(person).Concat(["Faits fictifs concernant"]))
                    Assert.DoesNotContain(value, mail.Everything, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await Service.SendAsync(Council.MemberOfHoldingGroup, HttpMethod.Put, $"{Council.Api}/me/notifications",
                new { email = NotificationMailFixture.AddressOf(Council.MemberOfHoldingGroup), disabledKinds = Array.Empty<string>() });
        }
    }

    private static IEnumerable<string> IdentityValues(TestPerson person) =>
    [
        person.Nom, person.Prenom, person.Adresse, person.Telephone, person.Courriel,
        person.DateNaissance.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), person.DateNaissance.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        person.DateNaissance.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR")),
    ];
}
