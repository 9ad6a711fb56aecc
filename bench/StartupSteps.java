/*
 * Bench-only launcher for `bench/run cost`: starts the sample app exactly as its main method
 * does, but with Spring's ApplicationStartup recording (BufferingApplicationStartup), and prints
 * how long the starter's own work took during that startup. Unlike Bench.java it needs Spring:
 * bench/lib/cost.sh compiles it against the libraries inside the sample app's jar.
 *
 *   java -cp <app classes>:<app libs>/*:<this class> StartupSteps [app arguments]
 *
 * It prints one line, STEPS name=value ..., and exits:
 *   epp_us         the starter's EnvironmentPostProcessor: its postProcessEnvironment call,
 *                  timed by wrapping each post-processor that Boot loads from spring.factories
 *                  (Boot records no step per post-processor)
 *   beans_us       "spring.beans.instantiate" steps of the starter's beans (its configuration
 *                  classes, the beans their @Bean methods declare, any bean whose type is in
 *                  dev.keepalive, such as its properties), each minus the nested steps of beans it made
 *                  Spring create (their own time), plus "spring.beans.smart-initialize" steps of
 *                  the starter's beans; n_beans counts them
 *   conditions_us  the conditions recorded for the starter's classes and @Bean methods in Boot's
 *                  ConditionEvaluationReport (n_conditions), evaluated again once after startup
 *                  (Spring records no step for a condition); warm, so without the class
 *                  loading that the first evaluation also did
 *   refresh_ms     "spring.context.refresh", the whole context refresh, for scale
 */

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.boot.support.EnvironmentPostProcessorApplicationListener;
import org.springframework.boot.support.EnvironmentPostProcessorsFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.metrics.StartupStep;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;

public class StartupSteps {

	static final String STARTER = "dev.keepalive.autoconfigure.";

	static final String EPP_STEP = "bench.environment-post-processor";

	public static void main(String[] args) throws Exception {
		Class<?> main = Class.forName(System.getProperty("bench.main", "dev.keepalive.sample.SampleApplication"));
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		SpringApplication application = new SpringApplication(main);
		application.setApplicationStartup(startup);
		// Boot's listener that runs the EnvironmentPostProcessors, with each one timed as a step.
		EnvironmentPostProcessorsFactory loaded = EnvironmentPostProcessorsFactory
			.fromSpringFactories(main.getClassLoader());
		EnvironmentPostProcessorsFactory timed = (logFactory, bootstrapContext) -> {
			List<EnvironmentPostProcessor> timedOnes = new ArrayList<>();
			for (EnvironmentPostProcessor p : loaded.getEnvironmentPostProcessors(logFactory, bootstrapContext)) {
				timedOnes.add((environment, app) -> {
					StartupStep step = startup.start(EPP_STEP).tag("class", p.getClass().getName());
					try {
						p.postProcessEnvironment(environment, app);
					}
					finally {
						step.end();
					}
				});
			}
			return timedOnes;
		};
		List<ApplicationListener<?>> listeners = new ArrayList<>();
		int replaced = 0;
		for (ApplicationListener<?> l : application.getListeners()) {
			if (l.getClass() == EnvironmentPostProcessorApplicationListener.class) {
				listeners.add(EnvironmentPostProcessorApplicationListener.with(timed));
				replaced++;
			}
			else {
				listeners.add(l);
			}
		}
		if (replaced != 1) {
			throw new IllegalStateException("expected one EnvironmentPostProcessorApplicationListener, found " + replaced);
		}
		application.setListeners(listeners);
		ConfigurableApplicationContext context = application.run(args);
		try {
			System.out.println(report(startup.getBufferedTimeline(), context));
		}
		finally {
			context.close();
		}
		System.exit(0);
	}

	static String report(StartupTimeline timeline, ConfigurableApplicationContext context) {
		Map<Long, Long> nestedOthersNanos = new HashMap<>();
		Map<Long, Boolean> starterStep = new HashMap<>();
		List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
		for (StartupTimeline.TimelineEvent e : events) {
			starterStep.put(e.getStartupStep().getId(), isStarterBeanStep(e.getStartupStep(), context.getBeanFactory()));
		}
		// A bean step's self time: its duration minus its direct children's (any bean).
		for (StartupTimeline.TimelineEvent e : events) {
			Long parent = e.getStartupStep().getParentId();
			if (parent != null) {
				nestedOthersNanos.merge(parent, e.getDuration().toNanos(), Long::sum);
			}
		}
		long eppNanos = 0;
		long beansNanos = 0;
		int beans = 0;
		long refreshNanos = 0;
		for (StartupTimeline.TimelineEvent e : events) {
			StartupStep s = e.getStartupStep();
			long d = e.getDuration().toNanos();
			if (s.getName().equals(EPP_STEP) && tag(s, "class").startsWith(STARTER)) {
				eppNanos += d;
				if (Boolean.getBoolean("bench.detail")) {
					System.err.printf("  step %s %s: %d us%n", s.getName(), tag(s, "class"), d / 1000);
				}
			}
			else if (starterStep.get(s.getId())) {
				long self = d - nestedOthersNanos.getOrDefault(s.getId(), 0L);
				beansNanos += self;
				beans++;
				if (Boolean.getBoolean("bench.detail")) {
					System.err.printf("  step %s %s: %d us (self %d us)%n", s.getName(), tag(s, "beanName"), d / 1000,
							self / 1000);
				}
			}
			else if (s.getName().equals("spring.context.refresh") && s.getParentId() == null) {
				refreshNanos = Math.max(refreshNanos, d);
			}
		}
		long[] conditions = replayConditions(context);
		return String.format(java.util.Locale.ROOT,
				"STEPS epp_us=%d beans_us=%d n_beans=%d conditions_us=%d n_conditions=%d total_us=%d refresh_ms=%d events=%d",
				eppNanos / 1000, beansNanos / 1000, beans, conditions[0] / 1000, conditions[1],
				(eppNanos + beansNanos + conditions[0]) / 1000, refreshNanos / 1_000_000, events.size());
	}

	/**
	 * A bean step of the starter: a bean whose type is in dev.keepalive, or that one of the
	 * starter's configuration classes declares (its @Bean methods), or the starter's
	 * configuration classes themselves.
	 */
	static boolean isStarterBeanStep(StartupStep s, ConfigurableListableBeanFactory beanFactory) {
		if (!s.getName().equals("spring.beans.instantiate") && !s.getName().equals("spring.beans.smart-initialize")) {
			return false;
		}
		String name = tag(s, "beanName");
		if (name.startsWith(STARTER) || name.contains("-" + STARTER)) {
			return true;
		}
		if (!beanFactory.containsBeanDefinition(name)) {
			return false;
		}
		String factoryBean = beanFactory.getMergedBeanDefinition(name).getFactoryBeanName();
		Class<?> type = beanFactory.getType(name, false);
		return (factoryBean != null && factoryBean.startsWith(STARTER))
				|| (type != null && type.getName().startsWith(STARTER));
	}

	static String tag(StartupStep s, String key) {
		for (StartupStep.Tag t : s.getTags()) {
			if (t.getKey().equals(key)) {
				return t.getValue();
			}
		}
		return "";
	}

	/** {nanos, count}: every recorded condition of the starter's classes and methods, once. */
	static long[] replayConditions(ConfigurableApplicationContext context) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		ConditionEvaluationReport report = ConditionEvaluationReport.get(beanFactory);
		ConditionContext conditionContext = new ConditionContext() {

			@Override
			public BeanDefinitionRegistry getRegistry() {
				return (BeanDefinitionRegistry) beanFactory;
			}

			@Override
			public ConfigurableListableBeanFactory getBeanFactory() {
				return beanFactory;
			}

			@Override
			public Environment getEnvironment() {
				return context.getEnvironment();
			}

			@Override
			public ResourceLoader getResourceLoader() {
				return new DefaultResourceLoader(context.getClassLoader());
			}

			@Override
			public ClassLoader getClassLoader() {
				return context.getClassLoader();
			}

		};
		// Resolve every source's metadata first, so that only the conditions are timed.
		List<Condition> conditions = new ArrayList<>();
		List<AnnotatedTypeMetadata> metadata = new ArrayList<>();
		for (Map.Entry<String, ConditionEvaluationReport.ConditionAndOutcomes> e : report
			.getConditionAndOutcomesBySource()
			.entrySet()) {
			if (!e.getKey().startsWith(STARTER)) {
				continue;
			}
			AnnotatedTypeMetadata m = metadataOf(e.getKey(), context.getClassLoader());
			for (ConditionEvaluationReport.ConditionAndOutcome c : e.getValue()) {
				conditions.add(c.getCondition());
				metadata.add(m);
			}
		}
		long start = System.nanoTime();
		for (int i = 0; i < conditions.size(); i++) {
			conditions.get(i).matches(conditionContext, metadata.get(i));
		}
		return new long[] { System.nanoTime() - start, conditions.size() };
	}

	static AnnotatedTypeMetadata metadataOf(String source, ClassLoader classLoader) {
		int hash = source.indexOf('#');
		String className = (hash >= 0) ? source.substring(0, hash) : source;
		// Read with ASM, as Spring reads configuration classes when it evaluates their conditions.
		AnnotationMetadata type;
		try {
			type = new SimpleMetadataReaderFactory(classLoader).getMetadataReader(className).getAnnotationMetadata();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		if (hash < 0) {
			return type;
		}
		String method = source.substring(hash + 1);
		for (MethodMetadata m : type.getDeclaredMethods()) {
			if (m.getMethodName().equals(method)) {
				return m;
			}
		}
		throw new IllegalStateException("no method " + source);
	}

}
