using CaseExchange.Retention.ErasureOrders;
using CaseExchange.Retention.RightOfAccess;
using CaseExchange.Situations;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Retention;

/// <summary>The pure checks and decision of the erasure order and of the right of access (their journalled answers are in ErasureOrderAndRightOfAccessTests).</summary>
public sealed class RetentionChecksTests
{
    [Fact]
    public void An_erasure_order_has_a_reason_of_the_charter_and_a_short_reference()
    {
        Assert.Empty(Fields(OrderErasureUseCase.Check(new OrderErasure("decision-de-justice", "TJ Valence 2026/12"), Policy)));
        Assert.Equal(["reason"], Fields(OrderErasureUseCase.Check(null, Policy)).Keys);
        Assert.Equal(["reason"], Fields(OrderErasureUseCase.Check(new OrderErasure("parce-que", null), Policy)).Keys);
        Assert.Equal(["reference"], Fields(OrderErasureUseCase.Check(
            new OrderErasure("decision-de-justice", new string('x', OrderErasureUseCase.MaxReferenceLength + 1)), Policy)).Keys);
    }

    [Fact]
    public void The_erasure_decided_records_the_order_with_its_instant()
    {
        var situation = Guid.NewGuid();
        var erased = OrderErasureUseCase.Decide(situation, new OrderErasure("decision-de-justice", " TJ 12 "), Coordinator, Now);
        Assert.Equal((situation, ErasureCauses.ErasureOrder, (Guid?)Coordinator, Now, "decision-de-justice", "TJ 12"),
            (erased.SituationId, erased.Cause, erased.OrderedBy, erased.At, erased.OrderReason, erased.OrderReference));
    }

    [Fact]
    public void A_right_of_access_request_names_the_person_as_on_their_identity_document()
    {
        Assert.Empty(Fields(AnswerAccessRequestUseCase.Check(new AccessRequestInClear("Fictif", "Lucas", new DateOnly(2011, 4, 2)))));
        Assert.Equal(["dateNaissance", "nom", "prenom"], Fields(AnswerAccessRequestUseCase.Check(null)).Keys.Order());
    }
}
