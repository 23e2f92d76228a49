using System.Collections.Concurrent;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Situations;
using JasperFx.Events;
using Marten;

namespace CaseExchange.Journal.Replay;

/// <summary>
/// Rebuilds, for each journal entry, the member, the situation, its holding group and the council as they stood at
/// the entry's instant, from the event store, and re-judges the entry with <see cref="ReplayJudgement"/>.
/// <para>The instant is the entry's <c>At</c>, which its hash covers, compared with the <c>At</c> of the other streams'
/// events (the same service clock). The database's own timestamp column is not covered by any hash: replaying by it
/// would let someone who can write to the database move an access to before a removal.</para>
/// <para>Every involved stream is read once; entries are judged in time order while each stream's state is folded
/// forward, so a period costs one pass over its streams' events.</para>
/// <para>The council's charter version is folded the same way: an entry is judged with the lists of the version in force
/// at its instant (a purpose dropped later does not condemn an opening made while it was allowed).</para>
/// </summary>
public sealed class AccessReplay(CharterPolicy policy)
{
    public async Task<IReadOnlyDictionary<Guid, ReplayVerdict>> JudgeAsync(IQuerySession session, IReadOnlyCollection<AccessJournalled> entries,
        CancellationToken cancellation = default) =>
        (await ReplayAsync(session, entries, cancellation)).ToDictionary(r => r.Key, r => r.Value.Verdict);

    /// <summary>
    /// Each entry's verdict with the situation's holding group at the entry's instant, as replayed (not as the group holds
    /// the situation now): what the annual control report counts openings by.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ReplayedEntry>> ReplayAsync(IQuerySession session, IReadOnlyCollection<AccessJournalled> entries,
        CancellationToken cancellation = default)
    {
        var verdicts = new Dictionary<Guid, ReplayedEntry>(entries.Count);
        if (entries.Count == 0) return verdicts;

        var histories = await LoadAsync(session,
            [Council.StreamId, .. entries.Select(e => e.SituationId), .. entries.Select(e => e.MemberId).OfType<Guid>()], cancellation);
        var groupIds = histories.Values.SelectMany(h => h).Select(e => e.Data switch
        {
            SituationReferred r => r.GroupId,
            SituationTransferred t => t.ToGroupId,
            _ => Guid.Empty,
        }).Where(id => id != Guid.Empty).Distinct().ToList();
        foreach (var (id, events) in await LoadAsync(session, groupIds, cancellation)) histories[id] = events;

        var options = (StoreOptions)session.DocumentStore.Options;
        var members = new Fold<Member>(options, session, histories);
        var situations = new Fold<Situation>(options, session, histories);
        var groups = new Fold<Group>(options, session, histories);
        var councils = new Fold<Council>(options, session, histories);

        foreach (var entry in entries.OrderBy(e => e.At).ThenBy(e => e.EntryId))
        {
            var situation = await situations.AtAsync(entry.SituationId, entry.At, cancellation);
            var state = new StateAtInstant(
                entry.MemberId is { } memberId ? await members.AtAsync(memberId, entry.At, cancellation) : null,
                await councils.AtAsync(Council.StreamId, entry.At, cancellation),
                situation is null ? null : await groups.AtAsync(situation.GroupId, entry.At, cancellation),
                situation);
            // Each entry is judged with the charter version in force in the council at its instant (its own, or the deployment's).
            verdicts[entry.EntryId] = new ReplayedEntry(ReplayJudgement.Judge(policy.For(state.Council), entry, state), state.HoldingGroup?.Id);
        }
        return verdicts;
    }

    private static async Task<Dictionary<Guid, IReadOnlyList<IEvent>>> LoadAsync(IQuerySession session, IReadOnlyCollection<Guid> streamIds,
        CancellationToken cancellation)
    {
        var ids = streamIds.Distinct().ToArray();
        if (ids.Length == 0) return [];
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).ToListAsync(cancellation);
        return events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => (IReadOnlyList<IEvent>)[.. g.OrderBy(e => e.Version)]);
    }

    /// <summary>One aggregate type folded forward in time, stream by stream, with Marten's own aggregator.</summary>
    private sealed class Fold<T>(StoreOptions options, IQuerySession session, IReadOnlyDictionary<Guid, IReadOnlyList<IEvent>> histories)
        where T : class
    {
        private readonly Dictionary<Guid, (T? State, int Applied)> _states = [];

        public async Task<T?> AtAsync(Guid streamId, DateTimeOffset instant, CancellationToken cancellation)
        {
            if (!histories.TryGetValue(streamId, out var events)) return null;
            var (state, applied) = _states.GetValueOrDefault(streamId);
            var upTo = applied;
            while (upTo < events.Count && Instants.Of(events[upTo]) <= instant) upTo++;
            if (upTo > applied)
            {
                state = await options.Projections.AggregatorFor<T>().BuildAsync([.. events.Skip(applied).Take(upTo - applied)], session, state, cancellation);
                _states[streamId] = (state, upTo);
            }
            return state;
        }
    }
}

/// <summary>An entry's replayed verdict and the situation's holding group at the entry's instant (none for the council's chain).</summary>
public sealed record ReplayedEntry(ReplayVerdict Verdict, Guid? HoldingGroupId);

/// <summary>When an event happened by the service's clock: its <c>At</c>, which every domain event carries.</summary>
internal static class Instants
{
    private static readonly ConcurrentDictionary<Type, Func<object, DateTimeOffset>?> Readers = new();

    public static DateTimeOffset Of(IEvent e)
    {
        var reader = Readers.GetOrAdd(e.EventType, type =>
            type.GetProperty("At") is { } property && property.PropertyType == typeof(DateTimeOffset)
                ? data => (DateTimeOffset)property.GetValue(data)!
                : null);
        return reader?.Invoke(e.Data) ?? e.Timestamp;
    }
}
