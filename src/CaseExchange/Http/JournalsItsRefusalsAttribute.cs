namespace CaseExchange.Http;

/// <summary>
/// Marks an endpoint of a nominative action that judges the caller before it reads the request, and journals every
/// refusal, an unreadable request included: the input boundary lets a <c>null</c> body and <c>null</c> list elements
/// through to it (control characters and malformed JSON are still refused there), so that the endpoint can journal them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class JournalsItsRefusalsAttribute : Attribute;
