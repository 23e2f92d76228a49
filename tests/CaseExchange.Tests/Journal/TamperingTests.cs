using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class TamperingFixture : ServiceFixture
{
    // Tampers with the database below the service.
    protected override bool OwnHost => true;
}

/// <summary>
/// Someone with write access to the database alters, deletes, inserts or reorders journal rows: verification names the
/// first broken link and its kind, and finds nothing wrong in an untouched journal. Each test works on a council of
/// its own: three chains of four entries, sealed, then one more entry on the first chain.
/// </summary>
public sealed class TamperingTests(TamperingFixture fixture) : IClassFixture<TamperingFixture>
{
    private TestService Service => fixture.Service;
    private AccessJournal Journal => Service.Services.GetRequiredService<AccessJournal>();
    private JournalSealer Sealer => Service.Services.GetRequiredService<JournalSealer>();
    private JournalVerifier Verifier => Service.Services.GetRequiredService<JournalVerifier>();

    private sealed record Shape(string Council, Guid[] Situations)
    {
        public Guid Chain(int i) => JournalChains.ChainOf(Situations[i]);
        public string Pseudonym(int i) => $"S-2026-90{i:D2}";
    }

    private async Task<Shape> BuildAsync(string council)
    {
        var shape = new Shape(council, [Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()]);
        for (var i = 0; i < 3; i++)
            for (var n = 0; n < 4; n++)
                await AppendAsync(shape, i, granted: n % 3 != 2);
        Assert.Single(await Sealer.SealAsync(council, TestContext.Current.CancellationToken));
        await AppendAsync(shape, 0, granted: true);

        var untouched = await Verifier.VerifyAsync(council, TestContext.Current.CancellationToken);
        Assert.True(untouched.Intact, JournalVerifyVerb.Describe(untouched));
        return shape;
    }

    private Task<AccessJournalled> AppendAsync(Shape shape, int chain, bool granted) =>
        Journal.AppendAsync(shape.Council, Request(shape, chain, granted));

    private static JournalRequest Request(Shape shape, int chain, bool granted) =>
        new(JournalActions.FileOpening, shape.Situations[chain], shape.Pseudonym(chain), Guid.CreateVersion7(), "membre.test", "suivi",
            null, null, granted, granted ? null : "hors-du-groupe-detenteur");

    private Task<int> SqlAsync(Shape shape, int chain, string sql, params object?[] more) =>
        Service.ExecuteSqlAsync(sql.Replace("{row}", "tenant_id = $1 and stream_id = $2"), [shape.Council, shape.Chain(chain), .. more]);

    private async Task<AccessJournalled> EntryAsync(Shape shape, int chain, long sequence)
    {
        await using var session = Service.Store.QuerySession(shape.Council);
        var events = await session.Events.FetchStreamAsync(shape.Chain(chain), version: sequence, fromVersion: sequence);
        return (AccessJournalled)Assert.Single(events).Data;
    }

    private async Task<JournalBreak> SingleBreakAsync(Shape shape, string kind, long sequence)
    {
        var report = await Verifier.VerifyAsync(shape.Council, TestContext.Current.CancellationToken);
        Assert.False(report.Intact);
        var broken = Assert.Single(report.Breaks);
        Assert.Equal(broken, report.FirstBreak);
        Assert.Equal((kind, sequence), (broken.Kind, broken.Sequence));
        Assert.Contains("BROKEN", JournalVerifyVerb.Describe(report));
        return broken;
    }

    [Fact]
    public async Task An_untouched_journal_verifies_intact_with_its_counts()
    {
        var shape = await BuildAsync("intact");
        var report = await Verifier.VerifyAsync(shape.Council, TestContext.Current.CancellationToken);
        Assert.True(report.Intact);
        Assert.Null(report.FirstBreak);
        Assert.Equal((13, 3, 1, 3, 1), (report.EntryCount, report.ChainCount, report.CheckpointCount, report.SealedChainCount, report.UnsealedEntryCount));

        Assert.Single(await Sealer.SealAsync(shape.Council, TestContext.Current.CancellationToken));
        var sealedAgain = await Verifier.VerifyAsync(shape.Council, TestContext.Current.CancellationToken);
        Assert.True(sealedAgain.Intact);
        Assert.Equal((2, 0), (sealedAgain.CheckpointCount, sealedAgain.UnsealedEntryCount));
    }

    [Fact]
    public async Task Altering_an_entry_is_detected()
    {
        var shape = await BuildAsync("alteration");
        await SqlAsync(shape, 1, "update caseexchange.mt_events set data = jsonb_set(data, '{Granted}', 'true') where {row} and version = 3");
        var broken = await SingleBreakAsync(shape, JournalBreakKinds.Altered, 3);
        Assert.Equal((shape.Chain(1), shape.Pseudonym(1)), (broken.ChainId, broken.Pseudonym));
    }

    [Fact]
    public async Task Altering_an_entry_and_recomputing_its_hash_breaks_the_next_link()
    {
        var shape = await BuildAsync("reecriture");
        var original = await EntryAsync(shape, 0, 2);
        var forged = original with { MemberId = Guid.CreateVersion7(), Purpose = "transfert" };
        forged = forged with { Hash = JournalHashing.OfEntry(shape.Council, forged, JournalHash.Parse(forged.PreviousHash)).ToString() };
        await SqlAsync(shape, 0, "update caseexchange.mt_events set data = $3::jsonb where {row} and version = 2", JsonSerializer.Serialize(forged));
        await SingleBreakAsync(shape, JournalBreakKinds.Altered, 3);
    }

    [Fact]
    public async Task Rewriting_a_sealed_chain_consistently_is_caught_by_the_checkpoint()
    {
        var shape = await BuildAsync("scelle");
        var original = await EntryAsync(shape, 1, 4);
        var forged = original with { Granted = !original.Granted };
        forged = forged with { Hash = JournalHashing.OfEntry(shape.Council, forged, JournalHash.Parse(forged.PreviousHash)).ToString() };
        await SqlAsync(shape, 1, "update caseexchange.mt_events set data = $3::jsonb where {row} and version = 4", JsonSerializer.Serialize(forged));
        await SingleBreakAsync(shape, JournalBreakKinds.Altered, 4);
    }

    [Fact]
    public async Task Deleting_an_entry_is_detected()
    {
        var shape = await BuildAsync("suppression");
        Assert.Equal(1, await SqlAsync(shape, 2, "delete from caseexchange.mt_events where {row} and version = 2"));
        await SingleBreakAsync(shape, JournalBreakKinds.Missing, 2);
    }

    [Fact]
    public async Task Inserting_a_crafted_entry_with_a_valid_hash_is_detected()
    {
        var shape = await BuildAsync("insertion");
        // Make room at position 2, then put there an entry hashed and linked exactly as the journal would have.
        await SqlAsync(shape, 1, "update caseexchange.mt_events set version = version + 1000 where {row} and version >= 2");
        await SqlAsync(shape, 1, "update caseexchange.mt_events set version = version - 999 where {row} and version >= 1002");
        var first = await EntryAsync(shape, 1, 1);
        var crafted = AccessJournal.Entry(shape.Council, Request(shape, 1, granted: true),
            new JournalChainHead { LastSequence = 1, LastHash = first.Hash }, first.At.AddSeconds(1));
        await SqlAsync(shape, 1, """
            insert into caseexchange.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, mt_dotnet_type, timestamp)
            select nextval('caseexchange.mt_events_sequence'), $3, $2, 2, $4::jsonb, type, tenant_id, mt_dotnet_type, now()
              from caseexchange.mt_events where {row} and version = 1
            """, Guid.CreateVersion7(), JsonSerializer.Serialize(crafted));
        await SingleBreakAsync(shape, JournalBreakKinds.Inserted, 3);
    }

    [Fact]
    public async Task Swapping_two_entries_is_detected_as_reordered()
    {
        var shape = await BuildAsync("ordre");
        await SqlAsync(shape, 0, "update caseexchange.mt_events set version = -2 where {row} and version = 2");
        await SqlAsync(shape, 0, "update caseexchange.mt_events set version = 2 where {row} and version = 3");
        await SqlAsync(shape, 0, "update caseexchange.mt_events set version = 3 where {row} and version = -2");
        await SingleBreakAsync(shape, JournalBreakKinds.Reordered, 2);
    }

    [Fact]
    public async Task Deleting_a_whole_chain_is_detected()
    {
        var shape = await BuildAsync("chaine");
        await SqlAsync(shape, 2, "delete from caseexchange.mt_events where {row}");
        await Service.ExecuteSqlAsync("delete from caseexchange.mt_streams where tenant_id = $1 and id = $2", shape.Council, shape.Chain(2));
        await Service.ExecuteSqlAsync("delete from caseexchange.mt_doc_journalchainhead where tenant_id = $1 and id = $2", shape.Council, shape.Chain(2));
        var broken = await SingleBreakAsync(shape, JournalBreakKinds.StreamRemoved, 4);
        Assert.Equal(shape.Pseudonym(2), broken.Pseudonym);
    }

    [Fact]
    public async Task Truncating_a_sealed_tail_is_detected()
    {
        var shape = await BuildAsync("troncature");
        await SqlAsync(shape, 2, "delete from caseexchange.mt_events where {row} and version >= 3");
        await SingleBreakAsync(shape, JournalBreakKinds.Truncated, 3);
    }

    [Fact]
    public async Task Deleting_a_tail_not_yet_sealed_is_caught_by_the_head_document_and_never_sealed()
    {
        var shape = await BuildAsync("queue");
        // Entry 5 of the first chain is not sealed yet; the head document still remembers it.
        await SqlAsync(shape, 0, "delete from caseexchange.mt_events where {row} and version = 5");
        await SingleBreakAsync(shape, JournalBreakKinds.HeadMismatch, 5);
        // The sealer does not seal the chain as it now is: the break stays on the tampered tail.
        Assert.Empty(await Sealer.SealAsync(shape.Council, TestContext.Current.CancellationToken));
        await SingleBreakAsync(shape, JournalBreakKinds.HeadMismatch, 5);
    }

    [Fact]
    public async Task Removing_a_checkpoint_in_the_middle_is_detected()
    {
        var shape = await BuildAsync("scellements");
        await Sealer.SealAsync(shape.Council, TestContext.Current.CancellationToken);
        await AppendAsync(shape, 1, granted: true);
        await Sealer.SealAsync(shape.Council, TestContext.Current.CancellationToken);
        Assert.True((await Verifier.VerifyAsync(shape.Council, TestContext.Current.CancellationToken)).Intact);

        await Service.ExecuteSqlAsync("delete from caseexchange.mt_events where tenant_id = $1 and stream_id = $2 and version = 2",
            shape.Council, JournalChains.CheckpointStreamId);
        var report = await Verifier.VerifyAsync(shape.Council, TestContext.Current.CancellationToken);
        Assert.Equal((JournalBreakKinds.Missing, 2L, true), (report.FirstBreak!.Kind, report.FirstBreak.Sequence, report.FirstBreak.InCheckpointChain));
        // The chain that only the removed checkpoint sealed says so too.
        Assert.Equal([(JournalBreakKinds.CheckpointMissing, shape.Chain(0))], report.Breaks.Skip(1).Select(b => (b.Kind, b.ChainId)));
    }

    [Fact]
    public async Task A_chain_copied_from_another_council_does_not_verify_there()
    {
        var source = await BuildAsync("source");
        var target = await BuildAsync("cible");
        await Service.ExecuteSqlAsync("""
            insert into caseexchange.mt_streams (tenant_id, id, type, version, timestamp, created)
              select $2, id, type, version, timestamp, created from caseexchange.mt_streams where tenant_id = $1 and id = $3
            """, source.Council, target.Council, source.Chain(1));
        await Service.ExecuteSqlAsync("""
            insert into caseexchange.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, mt_dotnet_type, timestamp)
              select nextval('caseexchange.mt_events_sequence'), gen_random_uuid(), stream_id, version, data, type, $2, mt_dotnet_type, timestamp
              from caseexchange.mt_events where tenant_id = $1 and stream_id = $3 order by version
            """, source.Council, target.Council, source.Chain(1));
        var report = await Verifier.VerifyAsync(target.Council, TestContext.Current.CancellationToken);
        var broken = Assert.Single(report.Breaks);
        Assert.Equal((source.Chain(1), JournalBreakKinds.Altered, 1L), (broken.ChainId, broken.Kind, broken.Sequence));
    }

    [Fact]
    public async Task The_auditor_is_shown_the_first_broken_link()
    {
        var council = await TestCouncil.CreateAsync(Service, "audit");
        var (id, pseudonym) = await council.ReferAsync(Service, TestPerson.Distinctive("Audit"), "Faits Audit");
        for (var i = 0; i < 3; i++) await Answers.ExpectAsync(await Service.OpenFileAsync(council, council.MemberOfHoldingGroup, id), 200);
        await Service.ExecuteSqlAsync("delete from caseexchange.mt_events where tenant_id = $1 and stream_id = $2 and version = 2",
            council.Code, JournalChains.ChainOf(id));

        var report = await Service.PostJsonAsync<JsonElement>(council.Auditeur, $"{council.Api}/journal/verifications", null);
        Assert.False(report.GetProperty("intact").GetBoolean());
        var first = report.GetProperty("firstBreak");
        Assert.Equal((JournalBreakKinds.Missing, pseudonym, 2L),
            (first.GetProperty("kind").GetString(), first.GetProperty("pseudonym").GetString(), first.GetProperty("sequence").GetInt64()));
        Assert.StartsWith("Entrée manquante", first.GetProperty("explanation").GetString());
        Assert.StartsWith("Journal altéré", report.GetProperty("summary").GetString());
    }
}
