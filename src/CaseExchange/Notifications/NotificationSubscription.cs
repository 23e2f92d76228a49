using CaseExchange.Seances;
using CaseExchange.Situations;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace CaseExchange.Notifications;

/// <summary>
/// Reads the event store (Marten's async daemon, from the moment the subscription is first started: nothing older is
/// announced) and raises a <see cref="NotificationDue"/> on the durable local queue for each event members hear of.
/// The daemon records its progress with the messages, so an event is announced once whatever the restarts.
/// </summary>
public sealed class NotificationSubscription : BatchSubscription
{
    public const string Name = "Notifications";

    public NotificationSubscription() : base(Name)
    {
        Options.SubscribeFromPresent();
        IncludeType<SituationReferred>();
        IncludeType<AgendaPublished>();
        IncludeType<FollowUpAssigned>();
        IncludeType<SeanceConvened>();
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
            if (Due(e) is { } due) await bus.PublishAsync(due);
    }

    /// <summary>The notification an event calls for, if any (pure).</summary>
    public static NotificationDue? Due(IEvent e) => e.Data switch
    {
        SituationReferred r => new NotificationDue(e.TenantId, NotificationKinds.NewReferral, r.SituationId, r.GroupId, null, r.SignalledBy, r.At),
        AgendaPublished p => new NotificationDue(e.TenantId, NotificationKinds.AgendaPublished, p.SeanceId, null, null, p.PublishedBy, p.At),
        FollowUpAssigned f => new NotificationDue(e.TenantId, NotificationKinds.ActionAssigned, f.SituationId, null, f.ReferentId, null, f.At),
        // Every member of the group is convened, the one who established the convocation included.
        SeanceConvened c => new NotificationDue(e.TenantId, NotificationKinds.Convocation, c.SeanceId, null, null, null, c.At, c.Number),
        _ => null,
    };
}
