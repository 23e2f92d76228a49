using CaseExchange.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(TestRunLifetime))]
