using CaseExchange.Councils;
using CaseExchange.Situations;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.Marten;

namespace CaseExchange.Notifications;

/// <summary>Marks an overdue action as announced (one document per action): each due date is announced once.</summary>
public sealed class DueDateNotice
{
    public Guid Id { get; set; }
    public Guid SituationId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// Looks for actions still running past their due date (French calendar day) and raises, once per action, a
/// <see cref="NotificationDue"/> to the référent, in the same transaction as the action's <see cref="DueDateNotice"/>
/// (Wolverine's outbox): a crash announces it on the next sweep, never twice.
/// </summary>
public sealed class DueDateReminders(IDocumentStore store, IServiceProvider services, TimeProvider clock,
    IOptions<NotificationOptions> options, ILogger<DueDateReminders> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DueDateSweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Due date sweep failed: {ExceptionType}", e.GetType().FullName);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One sweep over every council; the number of due dates announced.</summary>
    public Task<int> SweepAsync(CancellationToken cancellation = default) => SweepAsync(clock.GetUtcNow(), cancellation);

    /// <summary>One sweep as of <paramref name="now"/>; the number of due dates announced.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellation = default)
    {
        var today = DateOnly.FromDateTime(FrenchTime.Local(now).DateTime);
        List<string> councils;
        await using (var any = store.QuerySession())
            councils = [.. (await any.Query<Council>().Where(c => c.AnyTenant()).ToListAsync(cancellation)).Select(c => c.Code).Distinct()];

        var announced = 0;
        foreach (var council in councils)
        {
            await using var session = store.LightweightSession(council);
            var situations = await session.Query<Situation>()
                .Where(s => s.ReferentId != null && s.ClosedAt == null && s.NominativeDataErasedAt == null).ToListAsync(cancellation);
            var overdue = situations.SelectMany(s => s.Actions.Where(a => a.Status == "en-cours" && a.DueOn < today).Select(a => (Situation: s, a.ActionId))).ToList();
            if (overdue.Count == 0) continue;
            var known = (await session.LoadManyAsync<DueDateNotice>(cancellation, overdue.Select(o => o.ActionId).ToArray())).Select(n => n.Id).ToHashSet();
            var fresh = overdue.Where(o => !known.Contains(o.ActionId)).ToList();
            if (fresh.Count == 0) continue;

            var outbox = services.GetRequiredService<IMartenOutbox>();
            outbox.Enroll(session);
            foreach (var (situation, actionId) in fresh)
            {
                session.Insert(new DueDateNotice { Id = actionId, SituationId = situation.Id, At = now });
                await outbox.PublishAsync(new NotificationDue(council, NotificationKinds.DueDateReached, situation.Id, null, situation.ReferentId, null, now));
            }
            await session.SaveChangesAsync(cancellation);
            announced += fresh.Count;
        }
        return announced;
    }
}
