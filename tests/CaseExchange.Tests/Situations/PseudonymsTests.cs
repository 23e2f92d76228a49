using CaseExchange.Situations.Referral;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Situations;

public sealed class PseudonymsFixture : ServiceFixture;

/// <summary>
/// Pseudonyms come from blocks of a council's sequence reserved per process (no round trip per referral): they must stay
/// unique per council and year however many processes draw from the same sequence at once, and start at 0001.
/// </summary>
public sealed class PseudonymsTests(PseudonymsFixture fixture) : IClassFixture<PseudonymsFixture>
{
    private NpgsqlDataSource DataSource => fixture.Service.Services.GetRequiredService<NpgsqlDataSource>();

    private static string NewCouncil() => $"pseudo-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_new_council_year_starts_at_0001_and_one_process_hands_out_its_numbers_in_order()
    {
        var pseudonyms = new Pseudonyms(DataSource);
        var council = NewCouncil();
        var drawn = new List<string>();
        for (var i = 0; i < Pseudonyms.BlockSize + 3; i++) drawn.Add(await pseudonyms.NextAsync(council, 2031, TestContext.Current.CancellationToken));
        Assert.Equal(Enumerable.Range(1, Pseudonyms.BlockSize + 3).Select(n => $"S-2031-{n:D4}"), drawn);
        // Another year is another sequence.
        Assert.Equal("S-2032-0001", await pseudonyms.NextAsync(council, 2032, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Three_processes_drawing_at_once_never_give_the_same_pseudonym_twice()
    {
        var council = NewCouncil();
        var nodes = Enumerable.Range(0, 3).Select(_ => new Pseudonyms(DataSource)).ToArray();
        const int perNode = 150;
        var drawn = await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, perNode).Select(_ => Task.Run(() => node.NextAsync(council, 2031, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken))));
        Assert.Equal(3 * perNode, drawn.Length);
        Assert.Equal(drawn.Length, drawn.Distinct().Count());
        // Each node reserved whole blocks from the one sequence: nothing was drawn outside it.
        var highest = drawn.Max(p => int.Parse(p["S-2031-".Length..]));
        Assert.True(highest <= 3 * (perNode + Pseudonyms.BlockSize), $"highest number {highest}");
    }
}
