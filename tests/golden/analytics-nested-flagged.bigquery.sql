SELECT
  `t2`.`_row`,
  `t2`.`analytics_consent_ok`,
  `t2`.`ads_consent_ok`,
  `t2`.`contact_data_in_event`,
  `t2`.`days_before_analytics_cutoff`,
  `t2`.`erased_subject`,
  (
    `t2`.`analytics_consent_ok` IS NOT NULL
  )
  AND NOT (
    COALESCE(`t2`.`analytics_consent_ok` IN (TRUE), FALSE)
  ) AS `__e0`,
  (
    `t2`.`ads_consent_ok` IS NOT NULL
  )
  AND NOT (
    COALESCE(`t2`.`ads_consent_ok` IN (TRUE), FALSE)
  ) AS `__e1`,
  (
    `t2`.`contact_data_in_event` IS NOT NULL
  )
  AND NOT (
    COALESCE(`t2`.`contact_data_in_event` IN (FALSE), FALSE)
  ) AS `__e2`,
  (
    `t2`.`days_before_analytics_cutoff` IS NOT NULL
  )
  AND NOT (
    COALESCE(TRUE AND (
      `t2`.`days_before_analytics_cutoff` <= 0
    ), FALSE)
  ) AS `__e3`,
  (
    `t2`.`erased_subject` IS NOT NULL
  )
  AND NOT (
    COALESCE(`t2`.`erased_subject` IN (FALSE), FALSE)
  ) AS `__e4`
FROM (
  SELECT
    `t1`.`_row`,
    IF(
      FALSE,
      CAST(NULL AS BOOL),
      IF(
        COALESCE(
          COALESCE(
            (
              `t1`.`user_pseudo_id` IS NOT NULL
            )
            AND (
              LENGTH(TRIM(`t1`.`user_pseudo_id`, ' \t\n\r\v\f')) > 0
            ),
            FALSE
          ),
          FALSE
        ),
        COALESCE(
          LOWER(TRIM(`t1`.`analytics_storage`, ' \t\n\r\v\f')) IN ('ja', 'true', 'y', 'yes'),
          FALSE
        ),
        CAST(NULL AS BOOL)
      )
    ) AS `analytics_consent_ok`,
    IF(
      FALSE,
      CAST(NULL AS BOOL),
      IF(
        COALESCE(
          COALESCE(
            (
              `t1`.`gclid` IS NOT NULL
            )
            AND (
              LENGTH(TRIM(`t1`.`gclid`, ' \t\n\r\v\f')) > 0
            ),
            FALSE
          )
          OR COALESCE(
            (
              `t1`.`param_gclid` IS NOT NULL
            )
            AND (
              LENGTH(TRIM(`t1`.`param_gclid`, ' \t\n\r\v\f')) > 0
            ),
            FALSE
          )
          OR COALESCE(
            IF(
              INSTR(LOWER(`t1`.`page_location`), 'gclid=') > 0,
              REGEXP_CONTAINS(`t1`.`page_location`, '(?i)[?&]gclid=[^&# ]'),
              FALSE
            ),
            FALSE
          ),
          FALSE
        ),
        COALESCE(
          LOWER(TRIM(`t1`.`ads_storage`, ' \t\n\r\v\f')) IN ('ja', 'true', 'y', 'yes'),
          FALSE
        ),
        CAST(NULL AS BOOL)
      )
    ) AS `ads_consent_ok`,
    NOT (
      FALSE
    ) AS `__judged_0`,
    IF(
      FALSE,
      CAST(NULL AS BOOL),
      FALSE
      OR (
        COALESCE(
          IF(
            (
              INSTR(`t1`.`page_location`, '@') > 0
            )
            OR (
              INSTR(`t1`.`page_location`, '%') > 0
            ),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`page_location`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`page_location`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`page_location`
              ),
              '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
            ),
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          IF(
            FALSE
            OR COALESCE(INSTR(`t1`.`page_location`, '+') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`page_location`, '00') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`page_location`, '%') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_location`), 'phone') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_location`), 'tel') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_location`), 'tlf') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_location`), 'mobil') > 0, FALSE),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`page_location`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`page_location`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`page_location`
              ),
              '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
            ),
            FALSE
          ),
          FALSE
        )
      )
      OR (
        COALESCE(
          IF(
            (
              INSTR(`t1`.`page_referrer`, '@') > 0
            )
            OR (
              INSTR(`t1`.`page_referrer`, '%') > 0
            ),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`page_referrer`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`page_referrer`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`page_referrer`
              ),
              '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
            ),
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          IF(
            FALSE
            OR COALESCE(INSTR(`t1`.`page_referrer`, '+') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`page_referrer`, '00') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`page_referrer`, '%') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_referrer`), 'phone') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_referrer`), 'tel') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_referrer`), 'tlf') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`page_referrer`), 'mobil') > 0, FALSE),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`page_referrer`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`page_referrer`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`page_referrer`
              ),
              '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
            ),
            FALSE
          ),
          FALSE
        )
      )
      OR (
        COALESCE(
          IF(
            (
              INSTR(`t1`.`user_id`, '@') > 0
            ) OR (
              INSTR(`t1`.`user_id`, '%') > 0
            ),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`user_id`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`user_id`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`user_id`
              ),
              '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}'
            ),
            FALSE
          ),
          FALSE
        )
        OR COALESCE(
          IF(
            FALSE
            OR COALESCE(INSTR(`t1`.`user_id`, '+') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`user_id`, '00') > 0, FALSE)
            OR COALESCE(INSTR(`t1`.`user_id`, '%') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`user_id`), 'phone') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`user_id`), 'tel') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`user_id`), 'tlf') > 0, FALSE)
            OR COALESCE(INSTR(LOWER(`t1`.`user_id`), 'mobil') > 0, FALSE),
            REGEXP_CONTAINS(
              IF(
                INSTR(`t1`.`user_id`, '%') > 0,
                REPLACE(
                  REPLACE(
                    REPLACE(
                      REPLACE(
                        REPLACE(
                          REPLACE(
                            REPLACE(
                              REPLACE(
                                REPLACE(
                                  REPLACE(
                                    REPLACE(REPLACE(REPLACE(`t1`.`user_id`, '%25', '%'), '%40', '@'), '%2B', '+'),
                                    '%2b',
                                    '+'
                                  ),
                                  '%2E',
                                  '.'
                                ),
                                '%2e',
                                '.'
                              ),
                              '%2D',
                              '-'
                            ),
                            '%2d',
                            '-'
                          ),
                          '%5F',
                          '_'
                        ),
                        '%5f',
                        '_'
                      ),
                      '%20',
                      ' '
                    ),
                    '%28',
                    '('
                  ),
                  '%29',
                  ')'
                ),
                `t1`.`user_id`
              ),
              '(?:^|[^0-9A-Za-z])(?:\\+|00)[1-9][0-9]{0,2}(?:[ .\\-()]*[0-9]){6,12}(?:[^0-9]|$)|(?:^|[^A-Za-z])(?i:phone|tel|tlf|mobil|mobile|telefon)[a-z_]*=[ +]*[0-9](?:[ .\\-]*[0-9]){7,}'
            ),
            FALSE
          ),
          FALSE
        )
      )
    ) AS `contact_data_in_event`,
    NOT (
      FALSE
    ) AS `__judged_1`,
    IF(
      FALSE
      OR COALESCE(
        CAST(FLOOR(ieee_divide(CAST(`t1`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
        FALSE
      ),
      CAST(NULL AS INT64),
      20299 - CAST(FLOOR(ieee_divide(CAST(`t1`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64)
    ) AS `days_before_analytics_cutoff`,
    COALESCE(
      CAST(FLOOR(ieee_divide(CAST(`t1`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
      FALSE
    ) AS `__gap_0`,
    NOT (
      FALSE
      OR COALESCE(
        CAST(FLOOR(ieee_divide(CAST(`t1`.`event_timestamp` AS FLOAT64), 86400000000)) AS INT64) IS NULL,
        FALSE
      )
    ) AS `__judged_2`,
    IF(FALSE OR COALESCE(TRUE, FALSE), CAST(NULL AS BOOL), CAST(NULL AS BOOL)) AS `erased_subject`,
    COALESCE(TRUE, FALSE) AS `__gap_1`,
    NOT (
      FALSE OR COALESCE(TRUE, FALSE)
    ) AS `__judged_3`
  FROM (
    SELECT
      (
        ROW_NUMBER() OVER (
          ORDER BY `t0`.`event_timestamp` ASC, `t0`.`user_pseudo_id` ASC, `t0`.`event_name` ASC
        ) - 1
      ) + 1 AS `_row`,
      `t0`.`event_date`,
      `t0`.`event_timestamp`,
      `t0`.`event_name`,
      `t0`.`user_pseudo_id`,
      `t0`.`user_id`,
      COALESCE(
        ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_location'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`string_value`,
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_location'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`int_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_location'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`double_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_location'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`float_value` AS STRING)
      ) AS `page_location`,
      COALESCE(
        ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_referrer'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`string_value`,
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_referrer'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`int_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_referrer'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`double_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'page_referrer'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`float_value` AS STRING)
      ) AS `page_referrer`,
      COALESCE(
        ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'gclid'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`string_value`,
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'gclid'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`int_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'gclid'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`double_value` AS STRING),
        CAST(ARRAY(
          SELECT
            __ibis_param_p__.`value`
          FROM UNNEST(ARRAY(
            SELECT
              __ibis_param_p__
            FROM UNNEST(`t0`.`event_params`) AS __ibis_param_p__
            WHERE
              __ibis_param_p__.`key` = 'gclid'
          )) AS __ibis_param_p__
        )[safe_offset(0)].`float_value` AS STRING)
      ) AS `param_gclid`,
      `t0`.`privacy_info`.`analytics_storage` AS `analytics_storage`,
      `t0`.`privacy_info`.`ads_storage` AS `ads_storage`,
      `t0`.`collected_traffic_source`.`gclid` AS `gclid`
    FROM `events` AS `t0`
  ) AS `t1`
) AS `t2`
WHERE
  FALSE
  OR COALESCE(
    (
      `t2`.`analytics_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t2`.`analytics_consent_ok` IN (TRUE), FALSE)
    ),
    FALSE
  )
  OR COALESCE(
    (
      `t2`.`ads_consent_ok` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t2`.`ads_consent_ok` IN (TRUE), FALSE)
    ),
    FALSE
  )
  OR COALESCE(
    (
      `t2`.`contact_data_in_event` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t2`.`contact_data_in_event` IN (FALSE), FALSE)
    ),
    FALSE
  )
  OR COALESCE(
    (
      `t2`.`days_before_analytics_cutoff` IS NOT NULL
    )
    AND NOT (
      COALESCE(TRUE AND (
        `t2`.`days_before_analytics_cutoff` <= 0
      ), FALSE)
    ),
    FALSE
  )
  OR COALESCE(
    (
      `t2`.`erased_subject` IS NOT NULL
    )
    AND NOT (
      COALESCE(`t2`.`erased_subject` IN (FALSE), FALSE)
    ),
    FALSE
  );
