import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** 中文 (default) or English; the page's lang attribute follows, for screen readers. */
export function LanguageSwitch(): ReactNode {
  const { i18n } = useTranslation();
  const next = i18n.language === 'zh' ? 'en' : 'zh';
  return (
    <button
      type="button"
      className="language"
      lang={next === 'zh' ? 'zh-CN' : 'en'}
      onClick={() => {
        void i18n.changeLanguage(next);
        document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
      }}
    >
      {next === 'zh' ? '中文' : 'English'}
    </button>
  );
}
