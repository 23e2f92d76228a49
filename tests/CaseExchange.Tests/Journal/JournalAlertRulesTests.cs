using CaseExchange.Journal;
using CaseExchange.Journal.Alerts;

namespace CaseExchange.Tests.Journal;

/// <summary>The alert rules as a pure function of entries and séance dates: no database.</summary>
public sealed class JournalAlertRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Alice = Guid.NewGuid(), Bob = Guid.NewGuid(), GroupA = Guid.NewGuid(), GroupB = Guid.NewGuid();
    private static readonly Guid SituationA = Guid.NewGuid(), SituationB = Guid.NewGuid();

    private static AccessJournalled Entry(Guid? member, string subject, DateTimeOffset at, Guid situation, bool granted = true,
        string action = JournalActions.FileOpening, string? pseudonym = null) =>
        new(Guid.NewGuid(), 1, at, member, subject, action, situation, pseudonym ?? (situation == SituationA ? "S-2026-0001" : "S-2026-0002"),
            "preparation-seance", null, null, granted, granted ? null : "pas-membre-du-groupe", "", "");

    private static readonly Dictionary<Guid, Guid> Groups = new() { [SituationA] = GroupA, [SituationB] = GroupB };

    /// <summary>Group A meets on T0; group B never.</summary>
    private static readonly Dictionary<Guid, IReadOnlyList<DateTimeOffset>> Seances = new() { [GroupA] = [T0] };

    private static IReadOnlyList<JournalAlert> Compute(params AccessJournalled[] entries) => JournalAlertRules.Compute(entries, Groups, Seances);

    [Fact]
    public void More_than_the_threshold_of_openings_within_the_window_is_one_alert_for_the_burst()
    {
        var burst = Enumerable.Range(0, JournalAlertRules.MassOpeningThreshold + 3)
            .Select(i => Entry(Alice, "alice", T0.AddMinutes(i * 4), SituationA)).ToArray();
        var alerts = Compute(burst).Where(a => a.Kind == AlertKinds.MassOpenings).ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal(Alice, alert.MemberId);
        Assert.Equal(burst.Length, alert.Count);
        Assert.Equal(T0, alert.From);
        Assert.Equal(burst[^1].At, alert.To);
        Assert.Equal(["S-2026-0001"], alert.Pseudonyms);
    }

    [Fact]
    public void Exactly_the_threshold_or_the_same_openings_spread_beyond_the_window_or_refused_gives_no_mass_alert()
    {
        var n = JournalAlertRules.MassOpeningThreshold;
        var atThreshold = Enumerable.Range(0, n).Select(i => Entry(Alice, "alice", T0.AddMinutes(i), SituationA));
        // n + 1 openings, but never more than n within an hour (one every 6 min 40 s over 66 min: the first leaves before the last comes).
        var spread = Enumerable.Range(0, n + 1).Select(i => Entry(Bob, "bob", T0.AddSeconds(i * 400), SituationA));
        var refused = Enumerable.Range(0, n + 5).Select(i => Entry(Alice, "alice", T0.AddDays(2).AddMinutes(i), SituationA, granted: false));
        Assert.DoesNotContain(Compute([.. atThreshold, .. spread, .. refused]), a => a.Kind == AlertKinds.MassOpenings);
    }

    [Fact]
    public void Two_bursts_apart_are_two_alerts_and_members_are_counted_apart()
    {
        var n = JournalAlertRules.MassOpeningThreshold + 1;
        var first = Enumerable.Range(0, n).Select(i => Entry(Alice, "alice", T0.AddMinutes(i), SituationA));
        var second = Enumerable.Range(0, n).Select(i => Entry(Alice, "alice", T0.AddHours(5).AddMinutes(i), SituationA));
        // Two members, each under the threshold, within the same hour: no alert.
        var shared = Enumerable.Range(0, n).Select(i => Entry(i % 2 == 0 ? Alice : Bob, i % 2 == 0 ? "alice" : "bob", T0.AddDays(1).AddMinutes(i), SituationA));
        var alerts = Compute([.. first, .. second, .. shared]).Where(a => a.Kind == AlertKinds.MassOpenings).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(n, a.Count));
    }

    [Fact]
    public void Three_refusals_within_a_day_are_an_alert_two_or_three_spread_over_more_than_a_day_are_not()
    {
        var three = new[] { 0, 5, 23 }.Select(h => Entry(Bob, "bob", T0.AddHours(h), SituationA, granted: false)).ToArray();
        var alert = Assert.Single(Compute(three), a => a.Kind == AlertKinds.RepeatedRefusals);
        Assert.Equal((Bob, "bob", 3), (alert.MemberId, alert.Subject, alert.Count));
        Assert.Equal(three.Select(e => e.At), alert.Instants);

        var two = new[] { 0, 5 }.Select(h => Entry(Bob, "bob", T0.AddHours(h), SituationA, granted: false));
        var spread = new[] { 0, 13, 26 }.Select(h => Entry(Alice, "alice", T0.AddHours(h), SituationA, granted: false));
        Assert.DoesNotContain(Compute([.. two, .. spread]), a => a.Kind == AlertKinds.RepeatedRefusals);
    }

    [Fact]
    public void Refusals_of_someone_who_is_no_member_are_grouped_by_their_login()
    {
        var outsider = Enumerable.Range(0, 3).Select(i => Entry(null, "inconnu", T0.AddMinutes(i), SituationA, granted: false));
        var alert = Assert.Single(Compute([.. outsider]), a => a.Kind == AlertKinds.RepeatedRefusals);
        Assert.Null(alert.MemberId);
        Assert.Equal("inconnu", alert.Subject);
    }

    [Fact]
    public void An_opening_more_than_seven_days_from_every_seance_of_the_situation_s_group_is_an_alert()
    {
        var seven = JournalAlertRules.SeanceProximity;
        var alerts = Compute(
            Entry(Alice, "alice", T0 - seven, SituationA),                       // a week before the séance: preparing it
            Entry(Alice, "alice", T0 + seven, SituationA),                       // a week after: following it up
            Entry(Alice, "alice", T0 + seven + TimeSpan.FromMinutes(1), SituationA), // beyond
            Entry(Bob, "bob", T0, SituationB),                                   // group B never meets
            Entry(Bob, "bob", T0.AddDays(30), SituationB, granted: false),       // a refusal opened nothing
            Entry(Bob, "bob", T0.AddDays(30), SituationB, action: JournalActions.ArchiveOpening), // an archive opening has its own reason
            Entry(Bob, "bob", T0.AddDays(30), Guid.NewGuid()))                   // a situation of unknown group is not judged
            .Where(a => a.Kind == AlertKinds.FarFromSeance).ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Contains(alerts, a => a.MemberId == Alice && a.From == T0 + seven + TimeSpan.FromMinutes(1) && a.Pseudonyms.SequenceEqual(["S-2026-0001"]));
        Assert.Contains(alerts, a => a.MemberId == Bob && a.From == T0 && a.Pseudonyms.SequenceEqual(["S-2026-0002"]));
    }

    [Fact]
    public void Entries_on_the_council_s_chain_and_the_service_s_checks_are_not_openings()
    {
        var n = JournalAlertRules.MassOpeningThreshold + 5;
        var searches = Enumerable.Range(0, n).Select(i => Entry(Alice, "alice", T0.AddMonths(2).AddMinutes(i), JournalChains.CouncilSituationId,
            action: JournalActions.IdentitySearch, pseudonym: JournalChains.CouncilPseudonym));
        var checks = Enumerable.Range(0, n).Select(i => Entry(Alice, "alice", T0.AddMonths(2).AddMinutes(i), SituationA, action: JournalActions.ServerCheck));
        Assert.Empty(Compute([.. searches, .. checks]));
    }

    [Fact]
    public void Bursts_merge_overlapping_windows()
    {
        var at = new[] { 0, 10, 20, 70, 200 }.Select(m => Entry(Alice, "alice", T0.AddMinutes(m), SituationA)).ToList();
        var runs = JournalAlertRules.Bursts(at, TimeSpan.FromHours(1), 2).ToList();
        // 0, 10, 20 within an hour; 20 and 70 within an hour: one run 0–70; 200 alone.
        var run = Assert.Single(runs);
        Assert.Equal(4, run.Count);
    }
}
