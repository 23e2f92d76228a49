using System.Text.Json;
using System.Text.Json.Nodes;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Journal.Replay;
using CaseExchange.Protection;
using CaseExchange.Situations;

namespace CaseExchange.Tests.Journal;

/// <summary>The journal's pure parts: the canonical hash and the replayed judgement. No database.</summary>
public sealed class JournalRulesTests
{
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    private static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly AccessJournalled Entry = new(
        new Guid("01950000-0000-7000-8000-000000000001"), 3, Noon, new Guid("01950000-0000-7000-8000-0000000000aa"), "membre.a",
        JournalActions.FileOpening, new Guid("01950000-0000-7000-8000-0000000000bb"), "S-2026-0042", "suivi", null, null, true, null,
        PreviousHash: new string('1', 64), Hash: "");

    private static string HashOf(AccessJournalled entry, string council = "valence") =>
        JournalHashing.OfEntry(council, entry, JournalHash.Parse(entry.PreviousHash)).ToString();

    [Fact]
    public void Every_field_of_an_entry_and_its_council_are_covered_by_its_hash()
    {
        var original = HashOf(Entry);
        var variants = new AccessJournalled[]
        {
            Entry with { EntryId = Guid.CreateVersion7() }, Entry with { Sequence = 4 }, Entry with { At = Noon.AddTicks(1) },
            Entry with { MemberId = null }, Entry with { MemberId = Guid.CreateVersion7() }, Entry with { Subject = "membre.b" },
            Entry with { Action = JournalActions.ArchiveOpening }, Entry with { SituationId = Guid.CreateVersion7() },
            Entry with { Pseudonym = "S-2026-0043" }, Entry with { Purpose = null }, Entry with { Purpose = "transfert" },
            Entry with { ArchiveReasonCode = "contentieux" }, Entry with { ArchiveReasonDetail = new SealedText("v1:AAAA") },
            Entry with { Granted = false }, Entry with { Refusal = Refusals.CharterNotSigned }, Entry with { PreviousHash = new string('2', 64) },
            // Field boundaries count: moving text from one field to the next is a different entry.
            Entry with { Subject = "membre.a" + JournalActions.FileOpening[..3], Action = JournalActions.FileOpening[3..] },
        };
        var hashes = variants.Select(v => HashOf(v)).Append(HashOf(Entry, "romans")).ToList();
        Assert.DoesNotContain(original, hashes);
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void The_hash_format_is_pinned_because_existing_journals_depend_on_it()
    {
        // Changing the canonical form silently would make every journal ever written fail verification. Both values
        // were computed apart from this code (Python's hashlib and uuid.uuid5, from the form JournalHashing documents),
        // so an auditor can recompute them with tools of their own.
        Assert.Equal("12f2f24f29cc7559c38566aea69a8f6ad86dcbf1170431bf2f5ad40982d49199", HashOf(Entry));
        Assert.Equal(new Guid("633ef59a-2ac8-5150-8cf5-f960d4c48f80"), JournalChains.ChainOf(Entry.SituationId));
    }

    [Fact]
    public void The_hash_survives_the_reordering_of_keys_that_jsonb_applies()
    {
        var hashed = Entry with { Hash = HashOf(Entry) };
        var stored = JsonNode.Parse(JsonSerializer.Serialize(hashed))!.AsObject();
        var reordered = new JsonObject(stored.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var read = JsonSerializer.Deserialize<AccessJournalled>(reordered.ToJsonString())!;
        Assert.Equal(hashed.Hash, HashOf(read));
    }

    [Fact]
    public void A_hash_reads_back_from_its_text_and_rejects_anything_else()
    {
        var text = HashOf(Entry);
        Assert.Equal(text, JournalHash.Parse(text).ToString());
        Assert.False(JournalHash.TryParse(text.AsSpan(0, 63), out _));
        Assert.False(JournalHash.TryParse(string.Concat(text.AsSpan(0, 63), "z"), out _));
        Assert.Equal(new string('0', 64), JournalHash.Genesis.ToString());
    }

    private static StateAtInstant Entitled(bool closed = false)
    {
        var member = new Member();
        member.Apply(new MemberRegistered(Entry.MemberId!.Value, Entry.Subject, "Membre A", "Éducation nationale", "CPE", [], null, Noon));
        member.Apply(new CharterSigned(member.Id, Policy.Version, Policy.Fingerprint, Noon));
        var council = new Council();
        council.Apply(new CharterVersionAdopted(Policy.Version, Policy.Fingerprint, null, Noon));
        var group = new Group();
        group.Apply(new GroupCreated(Guid.CreateVersion7(), "GT", GroupKinds.Thematique, null, Guid.Empty, Noon));
        group.Apply(new MemberJoinedGroup(group.Id, member.Id, Roles.Membre, Guid.Empty, Noon));
        var situation = new Situation { Id = Entry.SituationId, Pseudonym = Entry.Pseudonym, GroupId = group.Id };
        if (closed) situation.Apply(new SituationClosed(situation.Id, "sans-objet", null, Guid.Empty, Noon));
        return new StateAtInstant(member, council, group, situation);
    }

    [Fact]
    public void A_grant_to_an_entitled_member_with_a_purpose_is_legitimate()
    {
        var verdict = ReplayJudgement.Judge(Policy, Entry, Entitled());
        Assert.Equal((ReplayVerdicts.Legitimate, true), (verdict.Verdict, verdict.Entitled));
        Assert.Empty(verdict.Reasons);
    }

    [Fact]
    public void An_archive_opened_without_a_written_reason_is_flagged()
    {
        var verdict = ReplayJudgement.Judge(Policy, Entry with { Action = JournalActions.ArchiveOpening }, Entitled(closed: true));
        Assert.Equal(ReplayVerdicts.Flagged, verdict.Verdict);
        Assert.Contains(ReplayReasons.ArchiveOpenedWithoutReason, verdict.Reasons);
        Assert.Equal(Refusals.ArchiveReasonRequired, verdict.EntitlementRefusal);

        var withReason = Entry with
        {
            Action = JournalActions.ArchiveOpening, ArchiveReasonCode = "contentieux", ArchiveReasonDetail = new SealedText("v1:AAAA"),
        };
        Assert.Equal(ReplayVerdicts.Legitimate, ReplayJudgement.Judge(Policy, withReason, Entitled(closed: true)).Verdict);
    }

    [Fact]
    public void A_grant_without_a_purpose_or_under_another_login_is_flagged()
    {
        Assert.Equal([ReplayReasons.GrantedWithoutPurpose], ReplayJudgement.Judge(Policy, Entry with { Purpose = null }, Entitled()).Reasons);
        Assert.Equal([ReplayReasons.SubjectMismatch], ReplayJudgement.Judge(Policy, Entry with { Subject = "autre.compte" }, Entitled()).Reasons);
    }

    [Fact]
    public void A_grant_on_a_situation_that_did_not_exist_yet_is_flagged_and_a_refusal_of_someone_entitled_is_noted()
    {
        var before = Entitled() with { Situation = null };
        Assert.Equal([ReplayReasons.UnknownSituation], ReplayJudgement.Judge(Policy, Entry, before).Reasons);

        var refused = ReplayJudgement.Judge(Policy, Entry with { Granted = false, Refusal = Refusals.NotInHoldingGroup }, Entitled());
        Assert.Equal((ReplayVerdicts.Informative, ReplayReasons.RefusedThoughEntitled), (refused.Verdict, Assert.Single(refused.Reasons)));
    }
}
