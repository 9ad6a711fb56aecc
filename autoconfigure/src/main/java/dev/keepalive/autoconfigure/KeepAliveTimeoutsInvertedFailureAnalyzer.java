/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.keepalive.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link KeepAliveTimeoutsInvertedException}.
 *
 * @author keepalive-spring-boot-starter contributors
 */
class KeepAliveTimeoutsInvertedFailureAnalyzer extends AbstractFailureAnalyzer<KeepAliveTimeoutsInvertedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KeepAliveTimeoutsInvertedException cause) {
		StringBuilder description = new StringBuilder(String
			.format("The web server can close an idle connection before the load balancer does, so the load balancer "
					+ "can send a request onto a closed connection and answer 502. Its idle timeout is %dms "
					+ "(%s) and lb.mode=fail:%n", cause.getIdleTimeoutMillis(), cause.getIdleTimeoutSource()));
		cause.getProblems().forEach((problem) -> description.append(String.format("%n    - %s", problem)));
		String action = "Raise the server timeouts named above, or set lb.mode=adjust to let the starter raise them "
				+ "when the application starts.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
