package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.ToolCallGuard;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Guards every {@link ToolCallback} and {@link ToolCallbackProvider} bean of the application
 * context, so a tool defined as a bean, or brought by another starter (an MCP client's provider),
 * is checked against the policy before each call: a refused call returns
 * {@code REFUSED [CODE] reason} and the tool does not run.
 *
 * <p>Each such bean is replaced by a proxy. Where the bean's class can be subclassed (not final,
 * no final public method) the proxy is a subclass, so the bean can still be injected by its own
 * class (e.g. {@code SyncMcpToolCallbackProvider}); otherwise it implements the interfaces only.
 * A callback's {@code call} methods are checked; a provider's {@code getToolCallbacks()} returns
 * its callbacks wrapped in {@link SandboxedToolCallback}. Tools that are not beans (objects passed
 * to {@code ChatClient...tools(object)}) are not seen here; wrap them with
 * {@link SandboxedToolCallback#guardAll}. The Spring Boot auto-configuration registers this
 * post-processor unless {@code ku0.sandbox.guard-all-tools=false}.
 */
public final class GuardToolCallbacksPostProcessor implements BeanPostProcessor {
    private final Supplier<ToolCallGuard> guard;

    /**
     * A post-processor that guards with what {@code guard} supplies, asked for when the first tool
     * bean is wrapped (a post-processor is created before the application's other beans).
     */
    public GuardToolCallbacksPostProcessor(Supplier<ToolCallGuard> guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (isGuarded(bean)) return bean;
        if (bean instanceof ToolCallback || bean instanceof ToolCallbackProvider) {
            return proxy(bean, new GuardInterceptor(guard.get()));
        }
        return bean;
    }

    private static Object proxy(Object bean, GuardInterceptor interceptor) {
        ProxyFactory factory = new ProxyFactory(bean);
        // A subclass proxy runs a final method on the proxy itself, past the interceptor: only a
        // class without final public methods is subclassed, anything else gets an interface proxy.
        factory.setProxyTargetClass(subclassable(bean.getClass()));
        factory.addAdvice(interceptor);
        return factory.getProxy(bean.getClass().getClassLoader());
    }

    private static boolean subclassable(Class<?> type) {
        if (Modifier.isFinal(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) return false;
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && Modifier.isFinal(m.getModifiers())) return false;
        }
        return true;
    }

    /** Whether {@code o}'s calls are checked already: a sandboxed wrapper or one of these proxies. */
    static boolean isGuarded(Object o) {
        return o instanceof AlreadySandboxed || o instanceof Advised a
                && Arrays.stream(a.getAdvisors()).anyMatch(x -> x.getAdvice() instanceof GuardInterceptor);
    }

    /** Checks a callback's calls; wraps a provider's callbacks. Every other method goes through. */
    private static final class GuardInterceptor implements MethodInterceptor {
        private final ToolCallGuard guard;

        GuardInterceptor(ToolCallGuard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Method m = invocation.getMethod();
            Object target = invocation.getThis();
            if (target instanceof ToolCallback callback && m.getName().equals("call")
                    && m.getParameterCount() >= 1 && m.getParameterTypes()[0] == String.class) {
                String refusal = SandboxedWrapper.refusal(guard, callback, (String) invocation.getArguments()[0]);
                if (refusal != null) return refusal;
            } else if (target instanceof ToolCallbackProvider && m.getName().equals("getToolCallbacks")
                    && m.getParameterCount() == 0) {
                return SandboxedToolCallback.guardAll((ToolCallback[]) invocation.proceed(), guard);
            }
            return invocation.proceed();
        }
    }
}
